/**
 * Upgrade = the fleet back on the configured charts: tenants created with clearml 7.14.1 / clearml-agent 5.3.0 on
 * Kubernetes 1.31 (OpenShift 4.18, which both accept); the platform moves clearml.charts to 7.14.4 / 5.3.2 (the
 * backend restarted with the new config, its databases kept); the fleet shows the drift; a platform engineer runs
 * "Upgrade ClearML tenants", whose pull request changes exactly the tenant's files and carries the key differences
 * (read from the charts' Helm repository double); merged, Argo CD refreshes and syncs the new versions; no drift.
 * Refused with nothing written: a user outside the platform group, and a chart that refuses the cluster (OpenShift
 * 4.20 = Kubernetes 1.33, which clearml 7.14.4 refuses).
 */
import { GITOPS } from './fixtures';
import { argocdSync, runControllers } from './argocdSimulation';
import { argocdRefresh, argocdSyncUpgrade } from './argocdUpgrade';
import { eventually, runTemplate } from './__testUtils__/backendApi';
import {
  chartVersions as charts,
  startUpgradeWorld,
} from './__testUtils__/upgradeWorld';

jest.setTimeout(240_000);

const CLUSTER_VERSION = '1.31.4';
const UPGRADE_TEMPLATE = 'template:default/clearml-fleet-upgrade';

let u: Awaited<ReturnType<typeof startUpgradeWorld>>;

beforeAll(async () => {
  u = await startUpgradeWorld(CLUSTER_VERSION);
  await u.startBackend('7.14.1', '5.3.0');
});

afterAll(() => u?.close());

describe('upgrading tenants to the configured charts', () => {
  it('7.14.1 / 5.3.0 → 7.14.4 / 5.3.2: drift, the upgrade pull request with the key differences, merged, synced, no drift', async () => {
    const tenant = 'omega';
    const created = u.merge((await u.createTenant(tenant)).number);
    const simulation = await argocdSync({
      kubernetes: u.world.kubernetes,
      repoRoot: created.dir,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
    });
    expect(
      (await runControllers(u.world.kubernetes, simulation)).refused,
    ).toEqual([]);
    const running = await eventually('healthy', async () => {
      const report = await u.health(tenant);
      return report.status === 'healthy' ? report : undefined;
    });
    expect(charts(running)).toEqual([
      ['clearml', '7.14.1', '7.14.1', false],
      ['clearml-agent', '5.3.0', '5.3.0', false],
    ]);

    // The platform moves the chart versions: the fleet shows the drift.
    await u.startBackend('7.14.4', '5.3.2');
    const drifting = await eventually(
      'the drift on the fleet page',
      async () => {
        const row = await u.fleetRow(tenant);
        return row?.charts?.some((c: any) => c.drift) ? row : undefined;
      },
    );
    expect(charts(drifting)).toEqual([
      ['clearml', '7.14.1', '7.14.4', true],
      ['clearml-agent', '5.3.0', '5.3.2', true],
    ]);

    // Only the platform group: the tenant's owner (mock, ml-team) is refused, nothing written.
    const before = u.writes();
    const denied = await runTemplate(u.api, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(denied.status).toBe('failed');
    expect(denied.log).toContain(
      'only members of group:default/platform (clearml.fleet.platformGroup) upgrade the fleet',
    );
    expect(u.writes()).toEqual(before);

    // A platform engineer first previews the whole fleet (no tenant named, dry run): nothing written.
    const previewed = u.writes();
    const preview = await runTemplate(u.alice, UPGRADE_TEMPLATE, {
      dryRun: true,
    });
    expect([preview.status, preview.log]).toEqual([
      'completed',
      expect.any(String),
    ]);
    expect(preview.output.text[0].content).toContain(
      'Would open 1 upgrade pull request(s)',
    );
    expect(preview.output.text[0].content).toContain(
      `resource:default/${tenant}: clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2`,
    );
    expect(u.writes()).toEqual(previewed);

    // Then runs it for the tenant.
    const run = await runTemplate(u.alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
      batchSize: 5,
    });
    expect([run.status, run.log]).toEqual(['completed', expect.any(String)]);
    const pull = u.world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .find(p => p.head === `clearml-upgrade/${tenant}`)!;
    expect(run.output.text[0].content).toContain(
      `https://github.com/${GITOPS.owner}/${GITOPS.repo}/pull/${pull.number}`,
    );
    // Exactly the tenant's files: its Applications (the chart versions) and the values files' headers naming them.
    const main = u.world.github.filesAt(GITOPS.owner, GITOPS.repo, 'main');
    const branch = u.world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      `clearml-upgrade/${tenant}`,
    );
    const differing = [
      ...new Set([...Object.keys(main), ...Object.keys(branch)]),
    ]
      .filter(p => main[p]?.content !== branch[p]?.content)
      .sort();
    expect(differing).toEqual([
      `tenants/${tenant}/applications.yaml`,
      `tenants/${tenant}/clearml-agent-values.yaml`,
      `tenants/${tenant}/clearml-values.yaml`,
    ]);
    const header = (files: typeof main) =>
      files[`tenants/${tenant}/clearml-values.yaml`].content
        .split('\n')
        .find(line => line.startsWith('# Chart: '));
    expect(header(main)).toBe(
      '# Chart: clearml 7.14.1 (open source, https://github.com/allegroai/clearml-helm-charts)',
    );
    expect(header(branch)).toBe(
      '# Chart: clearml 7.14.4 (open source, https://github.com/allegroai/clearml-helm-charts)',
    );
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
    expect(u.helm.requests).toEqual(
      expect.arrayContaining([
        '/clearml-helm-charts/clearml-7.14.1.tgz',
        '/clearml-helm-charts/clearml-7.14.4.tgz',
      ]),
    );
    await eventually('the card: upgrade pending review', async () =>
      (await u.health(tenant)).lifecycle?.stages
        .find(s => s.id === 'upgrade')
        ?.summary.startsWith('Upgrade pending review')
        ? true
        : undefined,
    );
    // Run again: the open upgrade pull request is skipped, nothing more written.
    const again = u.writes();
    const rerun = await runTemplate(u.alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(rerun.status).toBe('completed');
    expect(rerun.output.text[0].content).toContain(
      'its upgrade pull request is open',
    );
    expect(u.writes()).toEqual(again);

    // Merged: Argo CD applies the new Applications, then syncs the new chart versions.
    const merged = u.merge(pull.number);
    await argocdRefresh({
      kubernetes: u.world.kubernetes,
      repoRoot: merged.dir,
      tenantDir: `tenants/${tenant}`,
    });
    const upgraded = await argocdSyncUpgrade({
      kubernetes: u.world.kubernetes,
      repoRoot: merged.dir,
      tenantDir: `tenants/${tenant}`,
      clusterVersion: CLUSTER_VERSION,
      previous: simulation,
      gitRevision: merged.sha,
    });
    expect(upgraded.updated.length).toBeGreaterThan(10);
    const server = u.world.kubernetes.get(
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
    expect(
      (await runControllers(u.world.kubernetes, upgraded)).refused,
    ).toEqual([]);
    const done = await eventually('no drift', async () => {
      const row = await u.fleetRow(tenant);
      return row?.charts?.length && row.charts.every((c: any) => !c.drift)
        ? row
        : undefined;
    });
    expect(charts(done)).toEqual([
      ['clearml', '7.14.4', '7.14.4', false],
      ['clearml-agent', '5.3.2', '5.3.2', false],
    ]);
    const card = await eventually('upgraded and healthy', async () => {
      const report = await u.health(tenant);
      return report.status === 'healthy' &&
        report.lifecycle?.stages.find(s => s.id === 'upgrade')?.state === 'done'
        ? report
        : undefined;
    });
    expect(
      card.lifecycle?.stages.find(s => s.id === 'upgrade')?.summary,
    ).toMatch(/^Upgraded: /);
    // The sync left the tenant's isolation as the pull request rendered it.
    expect(card.isolation?.networkPolicies.changed).toEqual([]);
    expect(card.isolation?.networkPolicies.missing).toEqual([]);
  });

  it('refuses a chart that refuses the cluster (OpenShift 4.20, Kubernetes 1.33: clearml 7.14.4 refuses it), writing nothing', async () => {
    const tenant = 'sigma';
    await u.startBackend('7.14.1', '5.3.0');
    u.merge((await u.createTenant(tenant)).number);
    await u.startBackend('7.14.4', '5.3.2');
    // The cluster was upgraded to OpenShift 4.20.
    u.world.kubernetes.setKubernetesVersion('1.33.2');
    const before = u.writes();
    const refused = await runTemplate(u.alice, UPGRADE_TEMPLATE, {
      tenants: [`resource:default/${tenant}`],
    });
    expect(refused.status).toBe('failed');
    expect(refused.log).toContain(
      "tenants: refused, and nothing was written for any tenant: resource:default/sigma: cluster: Kubernetes 1.33.2 on cluster 'ocp-e2e' is refused by clearml 7.14.4 (kubeVersion >= 1.21.0-0 < 1.33.0-0)",
    );
    expect(u.writes()).toEqual(before);
    expect(
      u.world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .some(p => p.head === `clearml-upgrade/${tenant}`),
    ).toBe(false);
  });
});
