import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  parseTenantSettings,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import {
  commitLocalFiles,
  ensureBareRepository,
  localBranches,
  localBranchHead,
  localFilesAt,
  LocalGitTarget,
  localRepositoryPath,
  readLocalBlob,
  readLocalCommit,
  renderTenantDirectory,
} from '@clearml-openshift/plugin-clearml-node';
import {
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { createClearmlTenantChangeAction } from './tenantChange';
import { inMemoryTenantLeases, TenantLeases } from './gitops/tenantLease';
import { examples } from './tenantChange.examples';
import { TenantCatalogAccess } from './catalog/tenantCatalog';

const READ_TOKEN = 'sha256~read-change';
const CLEARML_BASE = 'http://backstage.test/api/clearml';

const settingsOf = (tenant: string, owner: string): TenantSettings => ({
  tenant,
  owner,
  cluster: 'ocp-test',
  namespace: `clearml-${tenant}`,
  domain: `clearml-${tenant}.apps.ocp-test.example.com`,
  edition: 'oss',
  releaseName: 'clearml',
  securityProfile: 'anyuid',
  exposure: 'route',
  agent: { enabled: false, queue: 'default' },
  appGateway: { enabled: false },
  tier: 'small',
  repoUrl: 'git.local?owner=platform&repo=gitops',
});

function entity(name: string, owner: string, commit = 'a'.repeat(40)) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `url:${CLEARML_BASE}/v1/local-git/git.local/platform/gitops/${commit}/tenants/${name}/catalog-info.yaml`,
        'clear.ml/cluster': 'ocp-test',
        'clear.ml/namespace': `clearml-${name}`,
        'clear.ml/release': 'clearml',
        'clear.ml/edition': 'oss',
      },
    },
    spec: { type: 'clearml-tenant', owner },
  };
}

const MOCK_USER = {
  ref: 'user:default/mock',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'mock' },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: 'group:default/ml-team' }],
  },
};

describe('clearml:tenant:change', () => {
  let double: KubernetesApiDouble;
  let workdir: string;
  let target: LocalGitTarget;
  let gitdir: string;
  let main: string;
  let config: ConfigReader;

  async function commit(
    branch: string,
    parent: string,
    files: Map<string, string>,
    replace: string[],
  ): Promise<string> {
    const result = await commitLocalFiles(gitdir, {
      branch,
      expectedHead: await localBranchHead(gitdir, branch),
      parent,
      replace,
      files: [...files].map(([p, content]) => ({
        path: p,
        content: Buffer.from(content),
        mode: '100644' as const,
      })),
      message: 'seed\n',
      author: target.author,
      where: 'git.local/platform/gitops',
    });
    return result.commit;
  }

  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      kubernetesVersion: '1.32.5',
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    double.load(`apiVersion: v1
kind: Namespace
metadata: { name: clearml-acme, labels: { 'clear.ml/tenant': acme } }
`);
    double.clearRequests();
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-change-'));
    target = {
      host: 'git.local',
      baseDir: workdir,
      defaultBranch: 'main',
      repositories: ['platform/gitops'],
      author: { name: 'Backstage', email: 'backstage@localhost' },
    } as LocalGitTarget;
    config = new ConfigReader({
      clearml: {
        clusters: [
          {
            name: 'ocp-test',
            url: double.url,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
          },
        ],
        gitops: {
          localTargets: [
            {
              host: 'git.local',
              baseDir: workdir,
              repositories: ['platform/gitops'],
            },
          ],
        },
      },
    });
    gitdir = localRepositoryPath(target, 'platform', 'gitops');
    await ensureBareRepository(target, gitdir);
    const initial = (await localBranchHead(gitdir, 'main'))!;
    // Two tenants as the creation template wrote them.
    const files = new Map([
      ...renderTenantDirectory(settingsOf('acme', 'group:default/ml-team'), {
        config,
      }).files,
      ...renderTenantDirectory(
        settingsOf('other', 'group:default/other-team'),
        { config },
      ).files,
    ]);
    main = await commit('main', initial, files, ['tenants']);
  });

  afterEach(async () => {
    await double.close();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  // A tenant registered from a GitLab project (the tenant identity rule accepts it; the action cannot read it yet).
  const gitlabTenant = entity('gl', 'group:default/ml-team');
  gitlabTenant.metadata.annotations['backstage.io/managed-by-location'] =
    `url:https://gitlab.example.com/platform/gitops/-/blob/${'b'.repeat(40)}/tenants/gl/catalog-info.yaml`;

  function action(tenantLeases?: TenantLeases) {
    const tenantCatalog: TenantCatalogAccess = {
      catalog: catalogServiceMock({
        entities: [
          gitlabTenant,
          entity('acme', 'group:default/ml-team'),
          entity('other', 'group:default/other-team'),
          {
            ...entity('lookalike', 'group:default/ml-team'),
            kind: 'Component',
          },
        ],
      }),
      auth: mockServices.auth(),
      anchorSources: async () => ({
        repositories: [
          { host: 'gitlab.example.com', owner: 'platform', repo: 'gitops' },
        ],
        localHosts: ['git.local'],
        clearmlBaseUrls: [CLEARML_BASE],
      }),
    };
    return createClearmlTenantChangeAction({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'gitlab.example.com',
                apiBaseUrl: 'https://gitlab.example.com/api/v4',
                token: 'glpat-test',
              },
            ],
          },
        }),
      ),
      config,
      tenantCatalog,
      ...(tenantLeases ? { tenantLeases } : {}),
    });
  }

  async function run(
    input: Record<string, unknown>,
    options: { user?: any; isDryRun?: boolean; leases?: TenantLeases } = {},
  ) {
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        user: options.user ?? MOCK_USER,
      } as any),
      isDryRun: options.isDryRun ?? false,
      checkpoint: async ({ fn }: any) => fn(),
    };
    await action(options.leases).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  async function fileOn(
    branch: string,
    file: string,
  ): Promise<string | undefined> {
    const head = (await localBranchHead(gitdir, branch))!;
    return (await readLocalBlob(gitdir, head, file))?.toString('utf8');
  }

  async function changedPaths(branch: string): Promise<string[]> {
    const before = await localFilesAt(gitdir, main);
    const after = await localFilesAt(
      gitdir,
      (await localBranchHead(gitdir, branch))!,
    );
    return [...new Set([...before.keys(), ...after.keys()])]
      .filter(p => before.get(p)?.oid !== after.get(p)?.oid)
      .sort();
  }

  async function expectNothingWritten() {
    expect(double.writeRequests()).toEqual([]);
    expect(await localBranches(gitdir)).not.toContain('clearml-change/acme');
    expect(await localBranchHead(gitdir, 'main')).toBe(main);
  }

  const fromForm: Record<string, unknown> = {
    entityRef: 'resource:default/acme',
    agent: 'on',
    agentQueue: 'gpu',
    tier: 'medium',
    reason: 'Training starts',
  };

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_d, example) => {
      const step = (yaml.load(example.example) as any).steps[0];
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, string>).map(([k, v]) => [
          k,
          String(v).startsWith('${{') ? fromForm[k] : v,
        ]),
      );
      const out = await run(input);
      expect(out.branchName).toBe('clearml-change/acme');
      expect(out.remoteUrl).toBe(
        'git://git.local/platform/gitops.git#clearml-change/acme',
      );
      expect(out.changedSettings).toEqual([
        'agent.enabled',
        'agent.queue',
        'tier',
      ]);
      // Exactly the tenant's files change: the agent's values are added; the catalog file stays as merged.
      expect(await changedPaths('clearml-change/acme')).toEqual([
        'tenants/acme/applications.yaml',
        'tenants/acme/clearml-agent-values.yaml',
        'tenants/acme/clearml-values.yaml',
        'tenants/acme/isolation.yaml',
        'tenants/acme/scc-grants.yaml',
        'tenants/acme/tenant-settings.yaml',
      ]);
      expect(out.files.added).toEqual([
        'tenants/acme/clearml-agent-values.yaml',
      ]);
      expect(out.catalogInfoChanged).toBe(false);
      const record = parseTenantSettings(
        (await fileOn(
          'clearml-change/acme',
          'tenants/acme/tenant-settings.yaml',
        ))!,
      );
      expect(record).toEqual({
        settings: expect.objectContaining({
          agent: { enabled: true, queue: 'gpu' },
          tier: 'medium',
        }),
      });
      // The description (the commit message of a local target) lists the effective change.
      const head = (await localBranchHead(gitdir, 'clearml-change/acme'))!;
      const message = (await readLocalCommit(gitdir, head)).message;
      expect(message).toMatch(
        /^Change ClearML tenant acme: agent on, agent\.queue default → gpu, tier small → medium\n/,
      );
      expect(message).toContain('| `tier` | `small` | `medium` |');
      expect(message).toContain('| added | `agentk8sglue.queue` |  | `gpu` |');
      expect(message).toContain('- SCC `anyuid` for ServiceAccount');
      expect(message).toContain(
        '| create | `Application/clearml-acme-agent` | `openshift-gitops` |',
      );
      expect(message).toContain('### Storage');
      expect(message).toContain(`Reason: ${input.reason}`);
      expect(double.writeRequests()).toEqual([]);
    },
  );

  it('dry run: outputs the effective change, writes nothing', async () => {
    const out = await run(fromForm, { isDryRun: true });
    expect(out.effectiveChange).toEqual([
      expect.stringMatching(/^files: 1 added, 0 removed, 5 modified$/),
      expect.stringMatching(/^values: \d+ keys in 2 files$/),
      'SCC grants: 1 added, 0 removed',
      expect.stringMatching(/^objects: 1 created, \d+ updated, 0 pruned$/),
      'releases: 1 installed, 0 deleted',
    ]);
    await expectNothingWritten();
  });

  it('a new description changes the catalog file, and the pull request says how the entity follows', async () => {
    const out = await run({
      entityRef: 'resource:default/acme',
      description: 'Vision team',
    });
    expect(out.catalogInfoChanged).toBe(true);
    expect(await changedPaths('clearml-change/acme')).toEqual([
      'tenants/acme/catalog-info.yaml',
      'tenants/acme/tenant-settings.yaml',
    ]);
    const head = (await localBranchHead(gitdir, 'clearml-change/acme'))!;
    expect((await readLocalCommit(gitdir, head)).message).toContain(
      '### The catalog entity',
    );
  });

  it('Routes to ingress: routes.yaml is deleted, the Routes pruned', async () => {
    const out = await run({
      entityRef: 'resource:default/acme',
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
    });
    expect(out.files.removed).toEqual(['tenants/acme/routes.yaml']);
    expect(
      await fileOn('clearml-change/acme', 'tenants/acme/routes.yaml'),
    ).toBeUndefined();
    const head = (await localBranchHead(gitdir, 'clearml-change/acme'))!;
    const message = (await readLocalCommit(gitdir, head)).message;
    expect(message).toMatch(
      /\| prune \| `Route\/[a-z-]+` \| `clearml-acme` \|/,
    );
    expect(message).toContain('DNS: `');
  });

  it('a smaller tier that would shrink the claims is refused, naming the tier', async () => {
    const medium = renderTenantDirectory(
      { ...settingsOf('acme', 'group:default/ml-team'), tier: 'medium' },
      { config },
    ).files;
    main = await commit('main', main, medium, ['tenants/acme']);
    const error = await run({
      entityRef: 'resource:default/acme',
      tier: 'small',
    }).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^tier: small would shrink the claims of mongodb \(50Gi → 20Gi\), redis \(5Gi → 2Gi\)/,
    );
    await expectNothingWritten();
  });

  it("refuses when the tenant's charts refuse its cluster, naming entityRef, writing nothing", async () => {
    // Kubernetes 1.33, which clearml 7.14.4 refuses, on a cluster that lacks an API it renders: no override can help.
    const lacking = await KubernetesApiDouble.start({
      kubernetesVersion: '1.33.1',
      unservedApiVersions: ['policy/v1'],
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    lacking.load(`apiVersion: v1
kind: Namespace
metadata: { name: clearml-acme, labels: { 'clear.ml/tenant': acme } }
`);
    config = new ConfigReader({
      clearml: {
        ...(config.getConfig('clearml').get() as object),
        clusters: [
          {
            name: 'ocp-test',
            url: lacking.url,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
          },
        ],
      },
    });
    try {
      const error = await run(fromForm).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^entityRef: the tenant's charts refuse its cluster: cluster: Kubernetes 1\.33\.1 on cluster 'ocp-test' does not serve an API the charts render/,
      );
      expect(lacking.writeRequests()).toEqual([]);
      await expectNothingWritten();
    } finally {
      await lacking.close();
    }
  });

  it('an open change pull request is built on: a second run adds its change, compared with main', async () => {
    await run({ entityRef: 'resource:default/acme', agent: 'on' });
    const first = await localBranchHead(gitdir, 'clearml-change/acme');
    const out = await run({
      entityRef: 'resource:default/acme',
      tier: 'medium',
    });
    expect(await localBranchHead(gitdir, 'clearml-change/acme')).not.toBe(
      first,
    );
    // Both changes, each against main.
    expect(out.changedSettings).toEqual(['agent.enabled', 'tier']);
    const record = parseTenantSettings(
      (await fileOn(
        'clearml-change/acme',
        'tenants/acme/tenant-settings.yaml',
      ))!,
    );
    expect(record).toEqual({
      settings: expect.objectContaining({
        agent: { enabled: true, queue: 'default' },
        tier: 'medium',
      }),
    });
    const head = (await localBranchHead(gitdir, 'clearml-change/acme'))!;
    expect((await readLocalCommit(gitdir, head)).message).toMatch(
      /^Change ClearML tenant acme: agent on, tier small → medium\n/,
    );
    // Asking again for what the open change already has changes nothing.
    const again = await run({
      entityRef: 'resource:default/acme',
      tier: 'medium',
    }).catch(e => e);
    expect(again).toBeInstanceOf(InputError);
    expect(again.message).toBe(
      'tier: no change: tier is already what acme has in its open change pull request; nothing was written',
    );
    expect(await localBranchHead(gitdir, 'clearml-change/acme')).toBe(head);
  });

  it.each([
    [
      'releaseName',
      { releaseName: 'ml' },
      /^releaseName: cannot change in place \("clearml" → "ml"\): Helm cannot rename a release/,
    ],
    [
      'namespace',
      { namespace: 'clearml-other' },
      /^namespace: cannot change in place/,
    ],
    ['edition', { edition: 'enterprise' }, /^edition: cannot change in place/],
    ['tenant', { tenant: 'acme2' }, /^tenant: cannot change in place/],
    ['cluster', { cluster: 'ocp-prod' }, /^cluster: cannot change in place/],
    ['domain', { domain: 'x.example.com' }, /^domain: cannot change in place/],
    [
      'nothing',
      { tier: 'small', agent: 'keep' },
      /^tier: no change: tier is already what acme has; nothing was written$/,
    ],
    [
      'a tier not in config',
      { tier: 'huge' },
      /tier: must be one of 'small', 'medium', 'large'/,
    ],
    [
      'restricted on oss',
      { securityProfile: 'restricted' },
      /securityProfile: 'restricted' is not possible with the open-source edition/,
    ],
    [
      'a queue without the agent',
      { agentQueue: 'gpu' },
      /^agentQueue: applies only with the agent on/,
    ],
    [
      'an IngressClass with Routes',
      { ingressClassName: 'nginx' },
      /^ingressClassName: applies only with exposure ingress/,
    ],
    [
      'a bad switch',
      { agent: 'maybe' },
      /^agent: must be one of keep, on, off/,
    ],
  ])(
    'refuses %s with an InputError naming the field, writing nothing',
    async (_what, change, message) => {
      const error = await run({
        entityRef: 'resource:default/acme',
        ...change,
      }).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      await expectNothingWritten();
    },
  );

  it("refuses another team's tenant and an entity that is no tenant, writing nothing", async () => {
    const mallory = {
      ref: 'user:default/mallory',
      entity: {
        ...MOCK_USER.entity,
        metadata: { name: 'mallory' },
        relations: [],
      },
    };
    await expect(run({ ...fromForm }, { user: mallory })).rejects.toThrow(
      /^entityRef: only the owner of resource:default\/acme \(group:default\/ml-team\) or the platform team may change it/,
    );
    await expect(
      run({ ...fromForm, entityRef: 'resource:default/other' }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      run({ ...fromForm, entityRef: 'component:default/lookalike' }),
    ).rejects.toThrow(/^entityRef: /);
    await expectNothingWritten();
    expect(await localBranches(gitdir)).not.toContain('clearml-change/other');
  });

  it.each(['retire', 'upgrade'])(
    'refuses while a %s pull request of the tenant is open, writing nothing',
    async kind => {
      await commit(
        `clearml-${kind}/acme`,
        main,
        new Map([['tenants/acme/clearml-values.yaml', 'changed: true\n']]),
        [],
      );
      const error = await run(fromForm).catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(
        new RegExp(
          `^entityRef: resource:default/acme has an open ${kind} pull request \\(branch clearml-${kind}/acme`,
        ),
      );
      await expectNothingWritten();
    },
  );

  it('checks again under the lease: a retire pull request opened after its checks refuses the push, nothing written', async () => {
    // Another run opens the tenant's retire pull request between this run's checks and its lease (the lease
    // serialises pushes, not checks).
    const inner = inMemoryTenantLeases();
    const leases: TenantLeases = {
      acquire: async (tenant, holder) => {
        await commit(
          'clearml-retire/acme',
          main,
          new Map([['tenants/acme/clearml-values.yaml', 'changed: true\n']]),
          [],
        );
        return inner.acquire(tenant, holder);
      },
    };
    const error = await run(fromForm, { leases }).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^entityRef: resource:default\/acme has an open retire pull request \(branch clearml-retire\/acme/,
    );
    await expectNothingWritten();
  });

  it('refuses a tenant in a GitLab project: the action cannot read it yet, and says so', async () => {
    const error = await run({
      ...fromForm,
      entityRef: 'resource:default/gl',
    }).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "entityRef: the tenant's GitOps repository gitlab.example.com/platform/gitops is a gitlab target, which this " +
        'action cannot read the tenant from yet (it has no repository reader); nothing was written',
    );
    await expectNothingWritten();
  });

  it("refuses a settings record that names another tenant's namespace, writing nothing", async () => {
    const record = renderTenantDirectory(
      settingsOf('acme', 'group:default/ml-team'),
      { config },
    )
      .files.get('tenants/acme/tenant-settings.yaml')!
      .replace('namespace: clearml-acme', 'namespace: clearml-other');
    main = await commit(
      'main',
      main,
      new Map([['tenants/acme/tenant-settings.yaml', record]]),
      [],
    );
    const error = await run(fromForm).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(
      /^entityRef: the settings record of resource:default\/acme names namespace clearml-other/,
    );
    await expectNothingWritten();
  });
});
