/**
 * Change = a running tenant re-rendered through the same reviewed path: the "Change ClearML tenant" template, run by
 * the tenant's owner, turns the agent on and grows the tier; the pull request from clearml-change/<tenant> changes
 * exactly the tenant's files and lists the values keys, the grant and the objects; the card says "Change pending
 * review"; a reviewer merges it; Argo CD applies it (Kubernetes double: the sync stops at the StatefulSets' claims
 * until they are grown by hand as the description says) while the card says "Applying the change", and the card
 * ends at "Changed" with a healthy tenant and its agent. Refused with nothing written: another team's tenant, an
 * entity that is no tenant, a release name change, an open retire pull request.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  defaultNamespace,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { releaseDatabasesOnStop } from '@internal/clearml-test-utils';
import { E2eWorld, GITOPS, startWorld, tenantFormValues } from './fixtures';
import { argocdSync, checkout, runControllers } from './argocdSimulation';
import { provisionStatefulSetClaims } from './argocdPrune';
import { growStatefulSetClaims } from './argocdChange';
import { argocdRefresh, argocdSyncUpgrade } from './argocdUpgrade';
import {
  backendApi,
  eventually,
  runTemplate,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(180_000);

const CLUSTER_VERSION = '1.32.5';
const CHANGE_TEMPLATE = 'template:default/clearml-tenant-change';
const RETIRE_TEMPLATE = 'template:default/clearml-tenant-retire';

let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
let tmp: string;
const api = backendApi(() => baseUrl);
const mallory = backendApi(() => baseUrl, 'user:default/mallory');
const alice = backendApi(() => baseUrl, 'user:default/alice');

async function createTenant(
  tenant: string,
  owner = 'group:default/ml-team',
  as = api,
) {
  const { task, log } = await runTenantTemplate(
    as,
    tenantFormValues(tenant, { owner }),
    60_000,
  );
  expect([task.status, task.status === 'failed' ? log : '']).toEqual([
    'completed',
    '',
  ]);
  await eventually(`resource:default/${tenant}`, async () =>
    (await api(`/api/catalog/entities/by-name/resource/default/${tenant}`))
      .status === 200
      ? true
      : undefined,
  );
  return pullFrom(`clearml/${tenant}`)!;
}

function pullFrom(branch: string) {
  return world.github
    .pullRequests(GITOPS.owner, GITOPS.repo)
    .find(p => p.head === branch);
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

/** Merges as a reviewer would; returns a fresh checkout of the default branch, as Argo CD's repo server has it. */
function merge(number: number): string {
  return mergeAt(number).dir;
}

function mergeAt(number: number): { dir: string; revision: string } {
  world.github.mergePullRequest(GITOPS.owner, GITOPS.repo, number);
  const dir = fs.mkdtempSync(path.join(tmp, 'checkout-'));
  const revision = checkout(
    world.github,
    GITOPS.owner,
    GITOPS.repo,
    'main',
    dir,
  );
  return { dir, revision };
}

/** What a refused run must leave: no GitHub write, no cluster write. */
function writes() {
  return {
    github: world.github.writes.length,
    kubernetes: world.kubernetes.writeRequests().length,
  };
}

function files(ref: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(world.github.filesAt(GITOPS.owner, GITOPS.repo, ref)).map(
      ([p, f]) => [p, String(f.content)],
    ),
  );
}

beforeAll(async () => {
  world = await startWorld({ kubernetesVersion: CLUSTER_VERSION });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-change-'));
  ({ backend, baseUrl } = await startTenantBackend(world, [
    ...releaseDatabasesOnStop('clearml'),
  ]));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('changing a tenant', () => {
  it('a running tenant: agent on and tier up → PR with exactly its file changes → merge → Argo CD applies → the card follows to healthy', async () => {
    const tenant = 'kappa';
    const namespace = defaultNamespace(tenant);
    const created = await createTenant(tenant);
    const simulation = await argocdSync({
      kubernetes: world.kubernetes,
      repoRoot: merge(created.number),
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    await provisionStatefulSetClaims(world.kubernetes, simulation);
    expect(
      (await runControllers(world.kubernetes, simulation)).refused,
    ).toEqual([]);
    await eventually('healthy', async () =>
      (await health(tenant)).status === 'healthy' ? true : undefined,
    );

    // The owner (mock, in ml-team) turns the agent on and grows the tier.
    const before = files('main');
    const first = await runTemplate(api, CHANGE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      agent: 'on',
      tier: 'medium',
    });
    expect([first.status, first.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    // A second run builds on the open change (its agent is on there, not yet on main) and updates its pull request.
    const changed = await runTemplate(api, CHANGE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      agentQueue: 'gpu',
      reason: 'Training starts <b>now</b>',
    });
    expect([changed.status, changed.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    const pulls = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .filter(p => p.head === `clearml-change/${tenant}`);
    expect(pulls).toHaveLength(1);
    const pull = pullFrom(`clearml-change/${tenant}`)!;
    expect(changed.output.links[0].url).toBe(
      `https://github.com/${GITOPS.owner}/${GITOPS.repo}/pull/${pull.number}`,
    );
    // Exactly the tenant's files change, and exactly these.
    const after = files(`clearml-change/${tenant}`);
    const differing = [
      ...new Set([...Object.keys(before), ...Object.keys(after)]),
    ]
      .filter(p => before[p] !== after[p])
      .sort();
    const dir = `tenants/${tenant}`;
    expect(differing).toEqual([
      `${dir}/applications.yaml`,
      `${dir}/clearml-agent-values.yaml`,
      `${dir}/clearml-values.yaml`,
      `${dir}/isolation.yaml`,
      `${dir}/scc-grants.yaml`,
      `${dir}/tenant-settings.yaml`,
    ]);
    expect(before[`${dir}/clearml-agent-values.yaml`]).toBeUndefined();
    // The reviewer reads the effective change.
    expect(pull.title).toBe(
      `Change ClearML tenant ${tenant}: agent on, agent.queue default → gpu, tier small → medium`,
    );
    expect(pull.body).toContain('| `tier` | `small` | `medium` |');
    expect(pull.body).toContain('| added | `agentk8sglue.queue` |  | `gpu` |');
    expect(pull.body).toMatch(
      /\| changed \| `mongodb\.persistence\.size` \| `20Gi` \| `50Gi` \|/,
    );
    expect(pull.body).toContain(
      `- SCC \`anyuid\` for ServiceAccount \`clearml-agent-sa\` in \`${namespace}\``,
    );
    expect(pull.body).toContain(
      `| create | \`Application/clearml-${tenant}-agent\` | \`openshift-gitops\` |`,
    );
    expect(pull.body).toMatch(
      new RegExp(
        `Application \`clearml-${tenant}-agent\` is new: Argo CD installs \`clearml-agent [\\d.]+\``,
      ),
    );
    expect(pull.body).toContain('### Storage');
    expect(pull.body).toContain(
      'Reason: Training starts &lt;b&gt;now&lt;/b&gt;',
    );

    // The card: the change waits for review; the tenant still runs.
    const inReview = await health(tenant);
    expect(inReview.lifecycle?.current).toBe('change');
    expect(inReview.lifecycle?.stages.at(-1)).toMatchObject({
      id: 'change',
      state: 'active',
      summary: `Change pending review: Pull request #${pull.number} waiting for review`,
    });
    expect(inReview.status).toBe('healthy');

    // Retiring the tenant while its change is in review is refused, with nothing written.
    const beforeRetire = writes();
    const retire = await runTemplate(api, RETIRE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      confirm: tenant,
    });
    expect(retire.status).toBe('failed');
    expect(retire.log).toMatch(
      new RegExp(
        `resource:default/${tenant} has an open change pull request \\(pull request #${pull.number} .* from clearml-change/${tenant} is open\\)`,
      ),
    );
    expect(writes()).toEqual(beforeRetire);
    expect(pullFrom(`clearml-retire/${tenant}`)).toBeUndefined();

    // Merged: the app of apps creates the agent's Application; the card says the change is being applied.
    const { dir: repoRoot, revision } = mergeAt(pull.number);
    await argocdRefresh({
      kubernetes: world.kubernetes,
      repoRoot,
      tenantDir: dir,
    });
    await eventually('the change being applied', async () => {
      const stage = (await health(tenant)).lifecycle?.stages.at(-1);
      if (!stage?.summary?.startsWith('Applying the change: '))
        throw new Error(JSON.stringify(stage));
      return stage;
    });
    // Argo CD's sync stops at the StatefulSets: their claims cannot grow in place (the double refuses as the API
    // server does). A cluster admin follows the description; the next sync goes through.
    const sync = () =>
      argocdSyncUpgrade({
        kubernetes: world.kubernetes,
        repoRoot,
        tenantDir: dir,
        clusterVersion: CLUSTER_VERSION,
        previous: simulation,
        gitRevision: revision,
      });
    const refused = await sync().catch(e => e);
    expect(String(refused.message)).toContain(
      'spec: Forbidden: updates to statefulset spec',
    );
    expect(
      (
        await growStatefulSetClaims({
          kubernetes: world.kubernetes,
          repoRoot,
          tenantDir: dir,
          clusterVersion: CLUSTER_VERSION,
        })
      ).sort(),
    ).toEqual(['clearml-elastic-master', 'clearml-redis-master']);
    const applied = await sync();
    expect(applied.applicationObjects.map(a => a.metadata.name).sort()).toEqual(
      [`clearml-${tenant}-agent`, `clearml-${tenant}-server`],
    );
    expect((await runControllers(world.kubernetes, applied)).refused).toEqual(
      [],
    );
    // The agent runs, under its granted SCC; the quota is the medium tier's.
    expect(
      world.kubernetes
        .list('apps/v1', 'Deployment', namespace)
        .some(d => d.metadata?.name === 'clearml-agent'),
    ).toBe(true);
    const quota = world.kubernetes.list(
      'v1',
      'ResourceQuota',
      namespace,
    )[0] as any;
    expect(quota.spec.hard['requests.storage']).not.toBe(
      (
        simulation.applications
          .flatMap(a => a.objects)
          .find(o => o.kind === 'ResourceQuota') as any
      ).spec.hard['requests.storage'],
    );
    // The card follows the rollout: changed, healthy, the agent among its components.
    const done = await eventually('changed and healthy', async () => {
      const report = await health(tenant);
      if (
        report.status !== 'healthy' ||
        report.lifecycle?.stages.at(-1)?.state !== 'done'
      )
        throw new Error(
          `${report.status}: ${JSON.stringify(report.lifecycle)}`,
        );
      return report;
    });
    expect(done.lifecycle?.stages.at(-1)).toMatchObject({
      id: 'change',
      summary: `Changed: Pull request #${pull.number} merged`,
    });
    expect(done.components.find(c => c.id === 'agent')).toMatchObject({
      status: 'healthy',
    });
  });

  it('refuses, with nothing written: another team, an entity that is no tenant, a release name change, an open retire', async () => {
    const tenant = 'lambda';
    const created = await createTenant(tenant);
    merge(created.number);
    const other = await createTenant('mu', 'group:default/platform', alice);
    merge(other.number);
    const before = writes();
    const branches = () =>
      world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .filter(p => p.head.startsWith('clearml-change/'))
        .map(p => p.head);
    const branchesBefore = branches();

    // Another team's tenant: mallory owns neither; the owner of lambda does not own mu.
    const denied = await runTemplate(mallory, CHANGE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      agent: 'on',
    });
    expect(denied.status).toBe('failed');
    expect(denied.log).toContain(
      `only the owner of resource:default/${tenant} (group:default/ml-team) or the platform team may change it`,
    );
    const notOwned = await runTemplate(api, CHANGE_TEMPLATE, {
      entity: 'resource:default/mu',
      agent: 'on',
    });
    expect(notOwned.status).toBe('failed');
    expect(notOwned.log).toContain('only the owner of resource:default/mu');
    // An entity that is no tenant.
    const template = await runTemplate(api, CHANGE_TEMPLATE, {
      entity: 'template:default/clearml-tenant-change',
      agent: 'on',
    });
    expect(template.status).toBe('failed');
    expect(template.log).toMatch(
      /entityRef: template:default\/clearml-tenant-change is not a ClearML tenant/,
    );
    expect(writes()).toEqual(before);

    // The release name cannot change in place (the action, as an API caller would ask it).
    const { status, body } = await api('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'rename' },
          spec: {
            type: 'clearml-tenant',
            steps: [
              {
                id: 'change',
                name: 'Rename',
                action: 'clearml:tenant:change',
                input: {
                  entityRef: `resource:default/${tenant}`,
                  releaseName: 'ml',
                },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      }),
    });
    expect(JSON.stringify({ status, body })).toMatch(
      /releaseName: cannot change in place \(\\"clearml\\" → \\"ml\\"\): Helm cannot rename a release/,
    );
    expect(writes()).toEqual(before);

    // An open retire pull request of the tenant.
    const retire = await runTemplate(api, RETIRE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      confirm: tenant,
      dataPolicy: 'delete',
    });
    expect(retire.status).toBe('completed');
    const afterRetire = writes();
    const blocked = await runTemplate(api, CHANGE_TEMPLATE, {
      entity: `resource:default/${tenant}`,
      agent: 'on',
    });
    expect(blocked.status).toBe('failed');
    expect(blocked.log).toMatch(
      new RegExp(
        `resource:default/${tenant} has an open retire pull request \\(pull request #\\d+ .* from clearml-retire/${tenant} is open\\)`,
      ),
    );
    expect(writes()).toEqual(afterRetire);
    expect(branches()).toEqual(branchesBefore);
  });
});
