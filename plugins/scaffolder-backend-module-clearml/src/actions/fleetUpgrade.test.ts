import yaml from 'js-yaml';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import {
  localBranches,
  localBranchHead,
  localFilesAt,
  readLocalCommit,
} from '@clearml-openshift/plugin-clearml-node';
import { createClearmlFleetUpgradeAction } from './fleetUpgrade';
import { examples } from './fleetUpgrade.examples';
import { TenantCatalogAccess } from './catalog/tenantCatalog';
import {
  CLEARML_BASE,
  FleetWorld,
  startFleetWorld,
} from './__testUtils__/fleetWorld';

const NEW = { clearml: '7.14.4', agent: '5.3.2' };
const person = (name: string, group: string) => ({
  ref: `user:default/${name}`,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
  },
});
const ALICE = person('alice', 'platform');
const MOCK = person('mock', 'ml-team');

describe('clearml:fleet:upgrade', () => {
  let world: FleetWorld;
  beforeEach(async () => {
    world = await startFleetWorld();
  });
  afterEach(() => world?.close());

  async function run(
    input: Record<string, unknown>,
    options: {
      user?: any;
      isDryRun?: boolean;
      charts?: { clearml: string; agent: string };
      extra?: JsonObject;
      permissions?: TenantCatalogAccess['permissions'];
    } = {},
  ) {
    const tenantCatalog: TenantCatalogAccess = {
      catalog: catalogServiceMock({ entities: world.entities as any }),
      auth: mockServices.auth(),
      ...(options.permissions ? { permissions: options.permissions } : {}),
      anchorSources: async () => ({
        repositories: [],
        localHosts: ['git.local'],
        clearmlBaseUrls: [CLEARML_BASE],
      }),
    };
    const action = createClearmlFleetUpgradeAction({
      integrations: {
        github: { byHost: () => undefined, list: () => [] },
      } as any,
      config: world.config(options.charts ?? NEW, options.extra),
      tenantCatalog,
    });
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        user: options.user ?? ALICE,
      } as any),
      isDryRun: options.isDryRun ?? false,
      checkpoint: async ({ fn }: any) => fn(),
      getInitiatorCredentials: async () =>
        mockCredentials.user((options.user ?? ALICE).ref),
    };
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  async function filesOn(branch: string) {
    const head = await localBranchHead(world.gitdir, branch);
    return head ? localFilesAt(world.gitdir, head) : new Map();
  }
  const upgradeBranches = async () =>
    (await localBranches(world.gitdir))
      .filter(b => b.startsWith('clearml-upgrade/'))
      .sort();
  async function expectNothingWritten() {
    expect(await upgradeBranches()).toEqual([]);
    expect(await localBranchHead(world.gitdir, 'main')).toBe(world.main);
    expect(world.kubernetes.writeRequests()).toEqual([]);
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
    expect(differing).toEqual(['tenants/acme/applications.yaml']);
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

  it('refuses bad input naming the field, before anything is read or written', async () => {
    await expect(run({ batchSize: 0 })).rejects.toThrow(
      /^batchSize: must be a whole number from 1 to 50/,
    );
    await expect(run({ tenants: ['resource:default/nope'] })).rejects.toThrow(
      /^tenants\[0\]: resource:default\/nope is not in the catalog/,
    );
    await expect(run({ tenants: 'resource:default/acme' })).rejects.toThrow(
      /^tenants: must be a list/,
    );
    await expectNothingWritten();
  });

  it('only the platform group may: a tenant owner is refused; without config or policy nobody; with the policy its decision', async () => {
    await expect(run({}, { user: MOCK })).rejects.toThrow(
      new NotAllowedError(
        'only members of group:default/platform (clearml.fleet.platformGroup) upgrade the fleet; user:default/mock is not one, and nothing was written',
      ),
    );
    await expect(run({}, { extra: { fleet: {} } })).rejects.toThrow(
      /set clearml\.fleet\.platformGroup .* or enable the permission framework/,
    );
    const asked: unknown[] = [];
    const permissions = {
      authorize: async (requests: any[], { credentials }: any) => {
        asked.push(...requests.map(r => r.permission.name));
        return requests.map(() => ({
          result:
            credentials.principal?.userEntityRef === 'user:default/mock'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      authorizeConditional: async () => [],
    } as any;
    await expect(run({}, { permissions })).rejects.toThrow(
      /the permission policy does not allow user:default\/alice clearml\.fleet\.upgrade/,
    );
    await expectNothingWritten();
    const allowed = await run({ batchSize: 1 }, { user: MOCK, permissions });
    expect(allowed.pullRequests).toHaveLength(1);
    expect(asked).toEqual(['clearml.fleet.upgrade', 'clearml.fleet.upgrade']);
  });
});
