/**
 * Upgrade = the fleet back on the configured charts: tenants created with clearml 7.14.1 / clearml-agent 5.3.0 on
 * Kubernetes 1.31 (OpenShift 4.18, which both accept); the platform moves clearml.charts to 7.14.4 / 5.3.2 (the
 * backend restarted with the new config, its databases kept); the fleet shows the drift; a platform engineer runs
 * "Upgrade ClearML tenants", whose pull request changes exactly the tenant's files and carries the key differences
 * (read from the charts' Helm repository double); merged, Argo CD refreshes and syncs the new versions; no drift.
 * Refused with nothing written: a user outside the platform group, and a chart that refuses the cluster (OpenShift
 * 4.20 = Kubernetes 1.33, which clearml 7.14.4 refuses).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import { TenantHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  HelmRepositoryDouble,
  referencePath,
} from '@internal/clearml-test-utils';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, checkout, runControllers } from './argocdSimulation';
import { argocdRefresh, argocdSyncUpgrade } from './argocdUpgrade';
import {
  backendApi,
  eventually,
  runTemplate,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(240_000);

const CLUSTER_VERSION = '1.31.4';
const UPGRADE_TEMPLATE = 'template:default/clearml-fleet-upgrade';

let world: E2eWorld;
let helm: HelmRepositoryDouble;
let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
let baseUrl: string;
let tmp: string;
const api = backendApi(() => baseUrl);
const alice = backendApi(() => baseUrl, 'user:default/alice');

/** The backend with clearml.charts at these versions (restarted: the config is read at startup; SQLite files kept). */
async function startBackend(clearml: string, agent: string) {
  await backend?.stop();
  const config = world.config as any;
  config.clearml.charts = {
    ...config.clearml.charts,
    clearml: { repository: helm.url, version: clearml },
    'clearml-agent': { repository: helm.url, version: agent },
  };
  ({ backend, baseUrl } = await startTenantBackend(world));
}

async function createTenant(tenant: string) {
  const { task, log } = await runTenantTemplate(
    api,
    tenantFormValues(tenant, { agent: true, agentQueue: 'gpu' }),
  );
  expect([task.status, log]).toEqual(['completed', expect.any(String)]);
  const pull = world.github
    .pullRequests(GITOPS.owner, GITOPS.repo)
    .find(p => p.head === `clearml/${tenant}`)!;
  await eventually(`resource:default/${tenant}`, async () =>
    (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
      .status === 200
      ? true
      : undefined,
  );
  return pull;
}

/** Merges as a reviewer would; a fresh checkout of the default branch, as Argo CD's repo server has it, and its commit. */
function merge(number: number): { dir: string; sha: string } {
  world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, number);
  const dir = fs.mkdtempSync(path.join(tmp, 'checkout-'));
  return {
    dir,
    sha: checkout(world.github, GITOPS.owner, GITOPS.repo, 'main', dir),
  };
}

async function health(tenant: string): Promise<TenantHealth> {
  const { status, body } = await api(
    `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
  );
  expect({ status, error: body?.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
  return body;
}

const charts = (report: { charts?: TenantHealth['charts'] }) =>
  report.charts?.map(c => [c.chart, c.deployed, c.configured, c.drift]);

async function fleetRow(tenant: string) {
  const { body } = await api('/api/clearml/v1/tenants');
  return body.items.find(
    (t: any) => t.entityRef === `resource:default/${tenant}`,
  );
}

function writes() {
  return {
    github: world.github.writes.length,
    kubernetes: world.kubernetes.writeRequests().length,
  };
}

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-upgrade-e2e-'));
  helm = await HelmRepositoryDouble.start({
    charts: [
      'clearml-7.14.1.tgz',
      'clearml-7.14.4.tgz',
      'clearml-agent-5.3.0.tgz',
      'clearml-agent-5.3.2.tgz',
    ].map(f => referencePath('clearml-charts', 'packaged', f)),
    pathPrefix: '/clearml-helm-charts',
  });
  const config = world.config as any;
  // Databases in files, so the catalog's tenants and the scaffolder's tasks outlive a restart with new config.
  config.backend.database = {
    client: 'better-sqlite3',
    connection: { directory: path.join(tmp, 'db') },
  };
  config.clearml.fleet = { platformGroup: 'group:default/platform' };
  await startBackend('7.14.1', '5.3.0');
});

afterAll(async () => {
  await backend?.stop();
  await helm?.close();
  await world?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('upgrading tenants to the configured charts', () => {
  it('7.14.1 / 5.3.0 → 7.14.4 / 5.3.2: drift, the upgrade pull request with the key differences, merged, synced, no drift', async () => {
    const tenant = 'omega';
    const created = merge((await createTenant(tenant)).number);
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot: created.dir,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    expect(
      (await runControllers(world.kubernetes, simulation)).refused,
    ).toEqual([]);
    const running = await eventually('healthy', async () => {
      const report = await health(tenant);
      return report.status === 'healthy' ? report : undefined;
    });
    expect(charts(running)).toEqual([
      ['clearml', '7.14.1', '7.14.1', false],
      ['clearml-agent', '5.3.0', '5.3.0', false],
    ]);

    // The platform moves the chart versions: the fleet shows the drift.
    await startBackend('7.14.4', '5.3.2');
    const drifting = await eventually(
      'the drift on the fleet page',
      async () => {
        const row = await fleetRow(tenant);
        return row?.charts?.some((c: any) => c.drift) ? row : undefined;
      },
    );
    expect(charts(drifting)).toEqual([
      ['clearml', '7.14.1', '7.14.4', true],
      ['clearml-agent', '5.3.0', '5.3.2', true],
    ]);

    // Only the platform group: the tenant's owner (mock, ml-team) is refused, nothing written.
    const before = writes();
    const denied = await runTemplate(api, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(denied.status).toBe('failed');
    expect(denied.log).toContain(
      'only members of group:default/platform (clearml.fleet.platformGroup) upgrade the fleet',
    );
    expect(writes()).toEqual(before);

    // A platform engineer runs it.
    const run = await runTemplate(alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
      batchSize: 5,
    });
    expect([run.status, run.log]).toEqual(['completed', expect.any(String)]);
    const pull = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .find(p => p.head === `clearml-upgrade/${tenant}`)!;
    expect(run.output.text[0].content).toContain(
      `https://github.com/${GITOPS.owner}/${GITOPS.repo}/pull/${pull.number}`,
    );
    // Exactly the tenant's files: only its Applications change (the chart versions).
    const main = world.github.filesAt(GITOPS.owner, GITOPS.repo, 'main');
    const branch = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      `clearml-upgrade/${tenant}`,
    );
    const differing = [
      ...new Set([...Object.keys(main), ...Object.keys(branch)]),
    ]
      .filter(p => main[p]?.content !== branch[p]?.content)
      .sort();
    expect(differing).toEqual([`tenants/${tenant}/applications.yaml`]);
    expect(branch[`tenants/${tenant}/applications.yaml`].content).toContain(
      'targetRevision: 7.14.4',
    );
    // What the reviewer reads.
    expect(pull.title).toBe(
      `Upgrade ClearML tenant ${tenant} on ocp-e2e: clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2`,
    );
    expect(pull.body).toContain(
      '| `clearml-omega-server` | `clearml` | `7.14.1` | `7.14.4` | `>= 1.21.0-0 < 1.33.0-0` |',
    );
    expect(pull.body).toContain(
      '| `clearml-omega-agent` | `clearml-agent` | `5.3.0` | `5.3.2` | `>= 1.21.0-0 < 1.33.0-0` |',
    );
    expect(pull.body).toContain(
      '### Values keys: `clearml` `7.14.1` → `7.14.4`',
    );
    expect(pull.body).toContain(
      "No values key differs: the two versions' `values.yaml` have the same keys and defaults",
    );
    expect(pull.body).toContain('(Kubernetes `1.31.4`)');
    expect(helm.requests).toEqual(
      expect.arrayContaining([
        '/clearml-helm-charts/clearml-7.14.1.tgz',
        '/clearml-helm-charts/clearml-7.14.4.tgz',
      ]),
    );
    await eventually('the card: upgrade pending review', async () =>
      (await health(tenant)).lifecycle?.stages
        .find(s => s.id === 'upgrade')
        ?.summary.startsWith('Upgrade pending review')
        ? true
        : undefined,
    );
    // Run again: the open upgrade pull request is skipped, nothing more written.
    const again = writes();
    const rerun = await runTemplate(alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(rerun.status).toBe('completed');
    expect(rerun.output.text[0].content).toContain(
      'its upgrade pull request is open',
    );
    expect(writes()).toEqual(again);

    // Merged: Argo CD applies the new Applications, then syncs the new chart versions.
    const merged = merge(pull.number);
    await argocdRefresh({
      kubernetes: world.kubernetes,
      repoRoot: merged.dir,
      tenantDir: `tenants/${tenant}`,
    });
    const upgraded = await argocdSyncUpgrade({
      kubernetes: world.kubernetes,
      repoRoot: merged.dir,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
      previous: simulation,
      gitRevision: merged.sha,
    });
    expect(upgraded.updated.length).toBeGreaterThan(10);
    const server = world.kubernetes.get(
      'argoproj.io/v1alpha1',
      'Application',
      `clearml-${tenant}-server`,
      'openshift-gitops',
    ) as any;
    expect(server.status.sync.revisions[0]).toBe('7.14.4');
    expect(server.status.history.map((h: any) => h.revisions[0])).toEqual([
      '7.14.1',
      '7.14.4',
    ]);
    expect((await runControllers(world.kubernetes, upgraded)).refused).toEqual(
      [],
    );
    const done = await eventually('no drift', async () => {
      const row = await fleetRow(tenant);
      return row?.charts?.length && row.charts.every((c: any) => !c.drift)
        ? row
        : undefined;
    });
    expect(charts(done)).toEqual([
      ['clearml', '7.14.4', '7.14.4', false],
      ['clearml-agent', '5.3.2', '5.3.2', false],
    ]);
    const card = await eventually('upgraded and healthy', async () => {
      const report = await health(tenant);
      return report.status === 'healthy' &&
        report.lifecycle?.stages.find(s => s.id === 'upgrade')?.state === 'done'
        ? report
        : undefined;
    });
    expect(
      card.lifecycle?.stages.find(s => s.id === 'upgrade')?.summary,
    ).toMatch(/^Upgraded: /);
  });

  it('refuses a chart that refuses the cluster (OpenShift 4.20, Kubernetes 1.33: clearml 7.14.4 refuses it), writing nothing', async () => {
    const tenant = 'sigma';
    await startBackend('7.14.1', '5.3.0');
    merge((await createTenant(tenant)).number);
    await startBackend('7.14.4', '5.3.2');
    // The cluster was upgraded to OpenShift 4.20.
    world.kubernetes.setKubernetesVersion('1.33.2');
    const before = writes();
    const refused = await runTemplate(alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(refused.status).toBe('failed');
    expect(refused.log).toContain(
      "tenants: refused, and nothing was written for any tenant: resource:default/sigma: cluster: Kubernetes 1.33.2 on cluster 'ocp-e2e' is refused by clearml 7.14.4 (kubeVersion >= 1.21.0-0 < 1.33.0-0)",
    );
    expect(writes()).toEqual(before);
    expect(
      world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .some(p => p.head === `clearml-upgrade/${tenant}`),
    ).toBe(false);
  });
});
