import yaml from 'js-yaml';
import { InputError } from '@backstage/errors';
import {
  localBranchHead,
  localFilesAt,
  readLocalBlob,
  readLocalCommit,
} from '@clearml-openshift/plugin-clearml-node';
import { HelmRepositoryDouble } from '@internal/clearml-test-utils';
import { examples } from './fleetUpgrade.examples';
import { FleetWorld, startFleetWorld } from './__testUtils__/fleetWorld';
import {
  expectNothingWritten as nothingWritten,
  runUpgrade,
  upgradeBranches as branches,
} from './__testUtils__/fleetUpgradeRun';

describe('clearml:fleet:upgrade', () => {
  let world: FleetWorld;
  beforeEach(async () => {
    world = await startFleetWorld();
  });
  afterEach(() => world?.close());

  const run = (
    input: Record<string, unknown>,
    options?: Parameters<typeof runUpgrade>[2],
  ) => runUpgrade(world, input, options);
  const upgradeBranches = () => branches(world);
  const expectNothingWritten = () => nothingWritten(world);

  async function filesOn(branch: string) {
    const head = await localBranchHead(world.gitdir, branch);
    return head ? localFilesAt(world.gitdir, head) : new Map();
  }

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_d, example) => {
      const step = (yaml.load(example.example) as any).steps[0];
      const input = Object.fromEntries(
        Object.entries(step.input).map(([k, v]) => [
          k,
          typeof v === 'string' && v.startsWith('${{')
            ? ({ tenants: [], batchSize: 2 } as any)[k]
            : v,
        ]),
      );
      const out = await run(input);
      const opened = out.pullRequests.map((p: any) => p.entityRef);
      expect(opened.length).toBe(input.dryRun ? 2 : opened.length);
      expect(opened.length).toBeGreaterThan(0);
      expect(await upgradeBranches()).toEqual(
        input.dryRun
          ? []
          : opened.map((r: string) => `clearml-upgrade/${r.split('/')[1]}`),
      );
      expect(out.summary).toContain(input.dryRun ? 'Would open' : 'Opened');
    },
  );

  it("opens one pull request per tenant that changes exactly the tenant's files, with the moves and the key differences", async () => {
    const out = await run({ tenants: ['resource:default/acme'] });
    expect(out.pullRequests).toEqual([
      {
        entityRef: 'resource:default/acme',
        url: 'git://git.local/platform/gitops.git#clearml-upgrade/acme',
        branchName: 'clearml-upgrade/acme',
        charts: 'clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2',
      },
    ]);
    const main = await filesOn('main');
    const branch = await filesOn('clearml-upgrade/acme');
    const differing = [...new Set([...main.keys(), ...branch.keys()])].filter(
      p => main.get(p)?.oid !== branch.get(p)?.oid,
    );
    // The Applications' chart versions, and the values files' headers that name them.
    expect(differing.sort()).toEqual([
      'tenants/acme/applications.yaml',
      'tenants/acme/clearml-agent-values.yaml',
      'tenants/acme/clearml-values.yaml',
    ]);
    const head = (await localBranchHead(world.gitdir, 'clearml-upgrade/acme'))!;
    const message = (await readLocalCommit(world.gitdir, head)).message;
    expect(message).toMatch(
      /^Upgrade ClearML tenant acme on ocp-test: clearml 7\.14\.1 → 7\.14\.4, clearml-agent 5\.3\.0 → 5\.3\.2/,
    );
    expect(message).toContain(
      "No values key differs: the two versions' `values.yaml` have the same keys and defaults",
    );
    expect(message).toContain('(Kubernetes `1.31.4`)');
    // The values differences came from the charts' Helm repository, each archive read once.
    expect(world.helm.requests.filter(r => r.endsWith('.tgz')).sort()).toEqual([
      '/clearml-helm-charts/clearml-7.14.1.tgz',
      '/clearml-helm-charts/clearml-7.14.4.tgz',
      '/clearml-helm-charts/clearml-agent-5.3.0.tgz',
      '/clearml-helm-charts/clearml-agent-5.3.2.tgz',
    ]);
    expect(world.kubernetes.writeRequests()).toEqual([]);
  });

  it('works in batches: a later run skips the open upgrade pull requests and continues with the next tenants', async () => {
    const first = await run({ batchSize: 2 });
    expect(first.pullRequests.map((p: any) => p.entityRef)).toEqual([
      'resource:default/acme',
      'resource:default/beta',
    ]);
    expect(first.remaining).toBe(1);
    const second = await run({ batchSize: 2 });
    expect(second.pullRequests.map((p: any) => p.entityRef)).toEqual([
      'resource:default/vision',
    ]);
    expect(second.skipped).toEqual([
      {
        entityRef: 'resource:default/acme',
        reason: expect.stringMatching(/^its upgrade pull request is open \(/),
      },
      {
        entityRef: 'resource:default/beta',
        reason: expect.stringMatching(/^its upgrade pull request is open \(/),
      },
    ]);
    expect(second.remaining).toBe(0);
    expect(await upgradeBranches()).toEqual([
      'clearml-upgrade/acme',
      'clearml-upgrade/beta',
      'clearml-upgrade/vision',
    ]);
  });

  it('skips tenants whose files already pin the configured versions', async () => {
    const out = await run(
      {},
      { charts: { clearml: '7.14.1', agent: '5.3.0' } },
    );
    expect(out.pullRequests).toEqual([]);
    expect(out.skipped.map((s: any) => s.reason)).toEqual(
      Array(3).fill('its files already pin the configured chart versions'),
    );
    await expectNothingWritten();
  });

  it('refuses a new chart that refuses the cluster (Kubernetes 1.33, clearml 7.14.4), writing nothing', async () => {
    world.kubernetes.setKubernetesVersion('1.33.2');
    const error = await run({ tenants: ['resource:default/beta'] }).catch(
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^tenants: refused, and nothing was written for any tenant: resource:default\/beta: cluster: Kubernetes 1\.33\.2 on cluster 'ocp-test' is refused by clearml 7\.14\.4 \(kubeVersion >= 1\.21\.0-0 < 1\.33\.0-0\)/,
    );
    // Fleet mode: every tenant refused, so nothing to open: the run fails as well.
    await expect(run({})).rejects.toThrow(
      /^tenants: no tenant can be upgraded now, and nothing was written/,
    );
    await expectNothingWritten();
  });

  it('refuses a tenant with another open pull request: named, the whole run; in fleet mode only that tenant', async () => {
    await world.commitBranch('clearml-change/beta', {
      'tenants/beta/clearml-values.yaml': 'changed: true\n',
    });
    const named = await run({
      tenants: ['resource:default/acme', 'resource:default/beta'],
    }).catch(e => e);
    expect(named).toBeInstanceOf(InputError);
    expect(named.message).toContain(
      'resource:default/beta: another pull request of the tenant is open',
    );
    expect(await upgradeBranches()).toEqual([]);

    const fleet = await run({});
    expect(fleet.pullRequests.map((p: any) => p.entityRef)).toEqual([
      'resource:default/acme',
      'resource:default/vision',
    ]);
    expect(fleet.refused).toEqual([
      {
        entityRef: 'resource:default/beta',
        reason: expect.stringContaining(
          'another pull request of the tenant is open',
        ),
      },
    ]);
  });

  it("reads both chart versions from the configured repository, never from a URL the tenant's files name", async () => {
    const trap = await HelmRepositoryDouble.start({ charts: [] });
    try {
      const file = 'tenants/acme/applications.yaml';
      const head = (await localBranchHead(world.gitdir, 'main'))!;
      const text = (await readLocalBlob(world.gitdir, head, file))!.toString(
        'utf8',
      );
      expect(text).toContain(world.helm.url);
      await world.commitBranch('main', {
        [file]: text.split(world.helm.url).join(trap.url),
      });
      const out = await run({ tenants: ['resource:default/acme'] });
      expect(out.pullRequests).toHaveLength(1);
      expect(trap.requests).toEqual([]);
      const message = (
        await readLocalCommit(
          world.gitdir,
          (await localBranchHead(world.gitdir, 'clearml-upgrade/acme'))!,
        )
      ).message;
      expect(message).toContain(
        "No values key differs: the two versions' `values.yaml` have the same keys and defaults",
      );
    } finally {
      await trap.close();
    }
  });

  it('a dry run plans the same and writes nothing', async () => {
    const out = await run({ batchSize: 5 }, { isDryRun: true });
    expect(out.pullRequests.map((p: any) => p.url)).toEqual(
      ['acme', 'beta', 'vision'].map(
        // A local target's dry run names a branch it would not touch.
        t => `git://git.local/platform/gitops.git#clearml-upgrade/${t}-dry-run`,
      ),
    );
    await expectNothingWritten();
  });
});
