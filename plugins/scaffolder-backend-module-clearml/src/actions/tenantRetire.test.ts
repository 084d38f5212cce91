import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  commitLocalFiles,
  ensureBareRepository,
  localBranches,
  localBranchHead,
  localFilesAt,
  LocalGitTarget,
  localRepositoryPath,
  readLocalCommit,
} from '@clearml-openshift/plugin-clearml-node';
import {
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { createClearmlTenantRetireAction } from './tenantRetire';
import { examples } from './tenantRetire.examples';
import { TenantCatalogAccess } from './catalog/tenantCatalog';

const REPO = path.resolve(__dirname, '../../../..');
const GRANTER_RULES = (
  yaml.load(
    fs.readFileSync(
      path.join(REPO, 'docs/rbac/clearml-scc-granter.clusterrole.yaml'),
      'utf8',
    ),
  ) as { rules: any[] }
).rules;
const READ_TOKEN = 'sha256~read-retire';
const GRANT_TOKEN = 'sha256~grant-retire';
const CLEARML_BASE = 'http://backstage.test/api/clearml';

const APPLICATIONS = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: clearml-acme-server
  namespace: openshift-gitops
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  sources:
    - repoURL: https://clearml.github.io/clearml-helm-charts
      chart: clearml
      targetRevision: 7.14.4
`;
const GRANTS = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: 'system:openshift:scc:anyuid', namespace: clearml-acme }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:openshift:scc:anyuid' }
subjects: [{ kind: ServiceAccount, name: clearml-apiserver, namespace: clearml-acme }]
`;

async function commitFiles(
  gitdir: string,
  branch: string,
  parent: string,
  files: Record<string, string>,
  author: LocalGitTarget['author'],
): Promise<string> {
  // The parent's tree with tenants/ replaced by exactly these files, on `branch` wherever it was.
  const { commit } = await commitLocalFiles(gitdir, {
    branch,
    expectedHead: await localBranchHead(gitdir, branch),
    parent,
    replace: ['tenants'],
    files: Object.entries(files).map(([p, content]) => ({
      path: p,
      content: Buffer.from(content),
      mode: '100644' as const,
    })),
    message: 'seed\n',
    author,
    where: 'git.local/platform/gitops',
  });
  return commit;
}

function entity(
  name: string,
  owner = 'group:default/ml-team',
  commit = 'a'.repeat(40),
) {
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

describe('clearml:tenant:retire', () => {
  let double: KubernetesApiDouble;
  let workdir: string;
  let target: LocalGitTarget;
  let gitdir: string;
  let main: string;

  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
        {
          name: 'granter',
          token: GRANT_TOKEN,
          user: 'system:serviceaccount:backstage:clearml-scc-granter',
          rules: GRANTER_RULES,
        },
        {
          name: 'reader-as-granter',
          token: 'sha256~no-patch',
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    double.load(`apiVersion: v1
kind: Namespace
metadata: { name: clearml-acme, labels: { 'clear.ml/tenant': acme } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data-clearml-mongodb-0, namespace: clearml-acme }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 8Gi } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: clearml-fileserver-data, namespace: clearml-acme, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 20Gi } } }
`);
    double.clearRequests();
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-retire-'));
    target = {
      host: 'git.local',
      baseDir: workdir,
      defaultBranch: 'main',
      repositories: ['platform/gitops'],
      author: { name: 'Backstage', email: 'backstage@localhost' },
    } as LocalGitTarget;
    gitdir = localRepositoryPath(target, 'platform', 'gitops');
    await ensureBareRepository(target, gitdir);
    const initial = (await localBranchHead(gitdir, 'main'))!;
    main = await commitFiles(
      gitdir,
      'main',
      initial,
      {
        'tenants/acme/applications.yaml': APPLICATIONS,
        'tenants/acme/scc-grants.yaml': GRANTS,
        'tenants/acme/clearml-values.yaml': 'clearml: {}\n',
        'tenants/acme/catalog-info.yaml': yaml.dump(entity('acme')),
        'tenants/other/applications.yaml': APPLICATIONS.replace(
          /acme/g,
          'other',
        ),
      },
      target.author,
    );
  });

  afterEach(async () => {
    await double.close();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  function action(
    grantToken = GRANT_TOKEN,
    permissions?: TenantCatalogAccess['permissions'],
  ) {
    const entities = [
      entity('acme'),
      entity('other', 'group:default/other-team'),
    ];
    const tenantCatalog: TenantCatalogAccess = {
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      ...(permissions ? { permissions } : {}),
      anchorSources: async () => ({
        repositories: [],
        localHosts: ['git.local'],
        clearmlBaseUrls: [CLEARML_BASE],
      }),
    };
    return createClearmlTenantRetireAction({
      integrations: {
        github: { byHost: () => undefined, list: () => [] },
      } as any,
      config: new ConfigReader({
        clearml: {
          clusters: [
            {
              name: 'ocp-test',
              url: double.url,
              skipTLSVerify: true,
              serviceAccountToken: READ_TOKEN,
              grantToken,
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
      }),
      tenantCatalog,
    });
  }

  async function run(
    input: Record<string, unknown>,
    options: {
      user?: any;
      isDryRun?: boolean;
      grantToken?: string;
      permissions?: TenantCatalogAccess['permissions'];
    } = {},
  ) {
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        user: options.user ?? MOCK_USER,
      } as any),
      isDryRun: options.isDryRun ?? false,
      checkpoint: async ({ fn }: any) => fn(),
    };
    await action(
      options.grantToken ?? GRANT_TOKEN,
      options.permissions,
    ).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  async function tenantFilesOn(branch: string): Promise<string[]> {
    const oid = await localBranchHead(gitdir, branch);
    if (!oid) return [];
    const files = [...(await localFilesAt(gitdir, oid)).keys()];
    return files.filter(f => f.startsWith('tenants/')).sort();
  }

  async function expectNothingWritten() {
    expect(double.writeRequests()).toEqual([]);
    expect(await localBranches(gitdir)).not.toContain('clearml-retire/acme');
    expect(await localBranchHead(gitdir, 'main')).toBe(main);
  }

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_d, example) => {
      const step = (yaml.load(example.example) as any).steps[0];
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, string>).map(([k, v]) => [
          k,
          String(v).startsWith('${{')
            ? {
                entityRef: 'resource:default/acme',
                confirm: 'acme',
                reason: 'Project ended',
              }[k]
            : v,
        ]),
      );
      const out = await run(input);
      expect(out.branchName).toBe('clearml-retire/acme');
      expect(out.remoteUrl).toBe(
        'git://git.local/platform/gitops.git#clearml-retire/acme',
      );
      expect(out.removedFiles).toEqual([
        'tenants/acme/applications.yaml',
        'tenants/acme/catalog-info.yaml',
        'tenants/acme/clearml-values.yaml',
        'tenants/acme/scc-grants.yaml',
      ]);
      // Exactly the tenant's directory goes; the other tenant's stays.
      expect(await tenantFilesOn('clearml-retire/acme')).toEqual([
        'tenants/other/applications.yaml',
      ]);
      const claims = double.list('v1', 'PersistentVolumeClaim', 'clearml-acme');
      const ns = double.get('v1', 'Namespace', 'clearml-acme')!;
      // Each example asserts the data policy it names.
      /* eslint-disable jest/no-conditional-expect */
      if (input.dataPolicy === 'delete') {
        expect(out.keptClaims).toEqual([]);
        expect(double.writeRequests()).toEqual([]);
        expect(
          ns.metadata?.annotations?.['argocd.argoproj.io/sync-options'],
        ).toBeUndefined();
      } else {
        expect(out.keptClaims).toEqual([
          'clearml-fileserver-data',
          'data-clearml-mongodb-0',
        ]);
        expect(
          ns.metadata?.annotations?.['argocd.argoproj.io/sync-options'],
        ).toBe('Delete=false');
        expect(
          Object.fromEntries(
            claims.map(c => [
              c.metadata?.name,
              c.metadata?.annotations?.['argocd.argoproj.io/sync-options'],
            ]),
          ),
        ).toEqual({
          'clearml-fileserver-data': 'Prune=false,Delete=false',
          'data-clearml-mongodb-0': 'Delete=false',
        });
      }
      /* eslint-enable jest/no-conditional-expect */
      // The description is the commit message of a local target.
      const head = (await localBranchHead(gitdir, 'clearml-retire/acme'))!;
      const commit = await readLocalCommit(gitdir, head);
      expect(commit.message).toContain(
        'Retire ClearML tenant acme on ocp-test',
      );
      expect(commit.message).toContain('`clearml-acme-server`');
      expect(commit.message).toContain(
        '`RoleBinding/system:openshift:scc:anyuid` in `clearml-acme`',
      );
      expect(commit.message).toContain(
        input.dataPolicy === 'delete' ? '### Data: deleted' : '### Data: kept',
      );
    },
  );

  it('dry run: says what it would do, writes nothing', async () => {
    const out = await run(
      { entityRef: 'resource:default/acme', confirm: 'acme' },
      { isDryRun: true },
    );
    expect(out.keptClaims).toEqual([
      'clearml-fileserver-data',
      'data-clearml-mongodb-0',
    ]);
    await expectNothingWritten();
  });

  it('refuses, writing nothing: another team, a wrong confirmation, a bad data policy, a look-alike, an open change', async () => {
    const mallory = {
      ref: 'user:default/mallory',
      entity: {
        ...MOCK_USER.entity,
        metadata: { name: 'mallory' },
        relations: [],
      },
    };
    await expect(
      run(
        { entityRef: 'resource:default/acme', confirm: 'acme' },
        { user: mallory },
      ),
    ).rejects.toThrow(
      new NotAllowedError(
        'entityRef: only the owner of resource:default/acme (group:default/ml-team) or the platform team may retire it; ' +
          'user:default/mallory is neither, and nothing was written. A permission policy can allow more (clearml.tenant.manage)',
      ),
    );
    // Another tenant's entity, owned by another team.
    await expect(
      run({ entityRef: 'resource:default/other', confirm: 'other' }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      run({ entityRef: 'resource:default/acme', confirm: 'other' }),
    ).rejects.toThrow(/^confirm: /);
    await expect(
      run({
        entityRef: 'resource:default/acme',
        confirm: 'acme',
        dataPolicy: 'archive',
      }),
    ).rejects.toThrow(
      new InputError('dataPolicy: must be one of keep, delete (got "archive")'),
    );
    await expect(
      run({ entityRef: 'component:default/acme', confirm: 'acme' }),
    ).rejects.toThrow(/^entityRef: /);
    await expectNothingWritten();

    // An open change: the tenant's branch is ahead of main.
    await commitFiles(
      gitdir,
      'clearml/acme',
      main,
      { 'tenants/acme/clearml-values.yaml': 'clearml: { changed: true }\n' },
      target.author,
    );
    const open = await run({
      entityRef: 'resource:default/acme',
      confirm: 'acme',
    }).catch(e => e);
    expect(open).toBeInstanceOf(ConflictError);
    expect(open.message).toBe(
      'entityRef: resource:default/acme has an open pull request (branch clearml/acme of git.local/platform/gitops is not merged into main); ' +
        'a tenant has one open pull request at a time: merge or close it first, then retire the tenant. Nothing was written',
    );
    expect(double.writeRequests()).toEqual([]);
    expect(await localBranches(gitdir)).not.toContain('clearml-retire/acme');
  });

  it.each(['change', 'upgrade'])(
    'refuses while a %s pull request of the tenant is open, writing nothing',
    async kind => {
      await commitFiles(
        gitdir,
        `clearml-${kind}/acme`,
        main,
        { 'tenants/acme/clearml-values.yaml': 'clearml: { changed: true }\n' },
        target.author,
      );
      const open = await run({
        entityRef: 'resource:default/acme',
        confirm: 'acme',
      }).catch(e => e);
      expect(open).toBeInstanceOf(ConflictError);
      expect(open.message).toBe(
        `entityRef: resource:default/acme has an open ${kind} pull request (branch clearml-${kind}/acme of ` +
          'git.local/platform/gitops is not merged into main); a tenant has one open pull request at a time: merge ' +
          'or close it first, then retire the tenant. Nothing was written',
      );
      await expectNothingWritten();
    },
  );

  it('keep without the rights to mark the data: refused before anything is written, naming the rights', async () => {
    const error = await run(
      { entityRef: 'resource:default/acme', confirm: 'acme' },
      { grantToken: 'sha256~no-patch' },
    ).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toMatch(
      /^dataPolicy: keep needs the grant credential of cluster 'ocp-test' to patch namespaces/,
    );
    await expectNothingWritten();
  });

  it("with the permission framework: the platform team may retire another team's tenant (clearml.tenant.manage), others may not", async () => {
    const asked: unknown[] = [];
    // The policy as docs/fleet-and-lifecycle.md shows it: allowed for the platform group only.
    const permissions = {
      authorize: async (requests: any[], { credentials }: any) => {
        asked.push(...requests.map(r => [r.permission.name, r.resourceRef]));
        const user = credentials.principal?.userEntityRef;
        return requests.map(() => ({
          result:
            user === 'user:default/alice'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      authorizeConditional: async () => [],
    } as any;
    const person = (name: string) => ({
      ref: `user:default/${name}`,
      entity: { ...MOCK_USER.entity, metadata: { name }, relations: [] },
    });
    const initiator = (name: string) => ({
      getInitiatorCredentials: async () =>
        mockCredentials.user(`user:default/${name}`),
    });
    const denied = await runAs(
      { entityRef: 'resource:default/acme', confirm: 'acme' },
      person('mallory'),
      initiator('mallory'),
      permissions,
    ).catch(e => e);
    expect(denied).toBeInstanceOf(NotAllowedError);
    await expectNothingWritten();
    const out = await runAs(
      { entityRef: 'resource:default/acme', confirm: 'acme' },
      person('alice'),
      initiator('alice'),
      permissions,
    );
    expect(out.branchName).toBe('clearml-retire/acme');
    expect(asked).toEqual([
      ['clearml.tenant.manage', 'resource:default/acme'],
      ['clearml.tenant.manage', 'resource:default/acme'],
    ]);
  });

  async function runAs(
    input: Record<string, unknown>,
    user: any,
    extra: Record<string, unknown>,
    permissions: TenantCatalogAccess['permissions'],
  ) {
    const ctx = {
      ...createMockActionContext({ input: input as any, user } as any),
      ...extra,
      isDryRun: false,
      checkpoint: async ({ fn }: any) => fn(),
    };
    await action(GRANT_TOKEN, permissions).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }
});
