/**
 * The trust boundaries of docs/security.md, attacked the way a signed-in but
 * hostile user would: through the real scaffolder's task and dry-run APIs
 * (the real template, registered in the real catalog, and templates of their
 * own for the dry run) and the health API, against the Kubernetes and GitHub
 * API doubles. Each attack asserts the refusal AND that nothing changed: git
 * refs (GitHub and the local bare repository), cluster objects and catalog
 * locations, compared before and after.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  resolveTenant,
  sccRoleName,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import { sccGrantsForTenant } from '@clearml-openshift/plugin-clearml-node';
import {
  localBranches,
  localBranchHead,
} from '@clearml-openshift/plugin-clearml-node';
import {
  closedPortUrl,
  startSilentServer,
  ACME,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import {
  CLUSTER,
  E2eWorld,
  GITOPS,
  LOCAL_GIT_HOST,
  READ_TOKEN,
  startWorld,
  tenantFormValues,
} from '../e2e/fixtures';
import { readTenantTemplate } from '../e2e/templateFile';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from '../e2e/__testUtils__/backendApi';

jest.setTimeout(120_000);

const OWNER = 'group:default/ml-team';
const DEAD = 'ocp-dead';
const HUNG = 'ocp-hung';
const REVOKED = 'ocp-revoked';

let world: E2eWorld;
let hung: { url: string; close: () => Promise<void> };
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
const api = backendApi(() => baseUrl);
const runTemplate = (values: Record<string, unknown>) =>
  runTenantTemplate(api, values);
let deadUrl: string;

/** The form as a user submits it, asking for the grants now. */
const formValues = (tenant: string, extra: Record<string, unknown> = {}) =>
  tenantFormValues(tenant, { applyGrants: true, ...extra });

/** A template of the user's own, through the dry-run API (which anyone allowed to run templates may call). */
async function dryRun(
  steps: object[],
  values: Record<string, unknown> = {},
  directoryContents: Array<{ path: string; base64Content: string }> = [],
) {
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'attack' },
    spec: {
      owner: 'user:default/mallory',
      type: 'service',
      parameters: [],
      steps,
    },
  };
  return api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    body: JSON.stringify({ template, values, directoryContents }),
  });
}

async function localRefs(): Promise<Record<string, string>> {
  const refs: Record<string, string> = {};
  if (!fs.existsSync(world.localGitDir)) return refs;
  for (const owner of fs.readdirSync(world.localGitDir)) {
    for (const repo of fs.readdirSync(path.join(world.localGitDir, owner))) {
      const gitdir = path.join(world.localGitDir, owner, repo);
      for (const branch of await localBranches(gitdir)) {
        refs[`${owner}/${repo}:${branch}`] = (await localBranchHead(
          gitdir,
          branch,
        ))!;
      }
    }
  }
  return refs;
}

/** Everything an attack could have changed: git refs on GitHub and on disk, cluster objects, catalog locations. */
async function snapshot() {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const cluster = [
    ...world.kubernetes.list('v1', 'Namespace').map(o => ({
      kind: 'Namespace',
      name: o.metadata?.name,
      labels: o.metadata?.labels,
    })),
    ...world.kubernetes.list(rbac, 'RoleBinding').map(o => ({
      kind: 'RoleBinding',
      ns: o.metadata?.namespace,
      name: o.metadata?.name,
      subjects: o.subjects,
    })),
  ];
  const locations = (await api('/api/catalog/locations')).body
    .map((l: any) => l.data?.target ?? l.target)
    .sort();
  return {
    githubWrites: world.github.writes.length,
    pulls: world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .map(p => [p.number, p.head, p.state]),
    localRefs: await localRefs(),
    localRepositories: fs.existsSync(world.localGitDir)
      ? fs
          .readdirSync(world.localGitDir, { recursive: true })
          .map(String)
          .filter(p => p.endsWith('.git'))
          .sort()
      : [],
    cluster,
    locations,
  };
}

/** Runs an attack and asserts it changed nothing at all (and no write request reached the cluster, dry or not). */
async function unchanged<T>(attack: () => Promise<T>): Promise<T> {
  const before = await snapshot();
  const clusterWrites = world.kubernetes.writeRequests().length;
  const result = await attack();
  expect(await snapshot()).toEqual(before);
  expect(world.kubernetes.writeRequests().slice(clusterWrites)).toEqual([]);
  return result;
}

beforeAll(async () => {
  world = await startWorld();
  hung = await startSilentServer();
  deadUrl = await closedPortUrl();
  // Tenants already on the cluster: acme runs (its namespace labelled for it); vision too, with no branch in git.
  world.kubernetes.load(healthyTenantObjects(ACME) as any);
  world.kubernetes.load(
    healthyTenantObjects({
      ...ACME,
      namespace: 'clearml-vision',
      domain: 'vision.example.com',
    }) as any,
  );
  world.kubernetes.clearRequests();

  // A Resource anyone could register, naming acme's namespace for a tenant of its own.
  const intruderFile = path.join(world.workDir, 'intruder.yaml');
  fs.writeFileSync(
    intruderFile,
    yaml.dump({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'intruder',
        annotations: tenantEntityAnnotations({
          cluster: CLUSTER,
          namespace: 'clearml-acme',
          release: 'clearml',
          edition: 'oss',
          tenant: 'intruder',
        }),
      },
      spec: { type: 'clearml-tenant', owner: 'user:default/mallory' },
    }),
  );
  // Look-alikes of tenant acme with its annotations (another catalog namespace, another kind), and a squatter
  // that takes the entity ref of tenant sigma before anyone asks for it: all from a file the user controls.
  const acmeAnnotations = tenantEntityAnnotations({
    cluster: CLUSTER,
    namespace: 'clearml-acme',
    release: 'clearml',
    edition: 'oss',
    tenant: 'acme',
  });
  const lookAlikesFile = path.join(world.workDir, 'look-alikes.yaml');
  fs.writeFileSync(
    lookAlikesFile,
    [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'acme',
          namespace: 'evil',
          annotations: acmeAnnotations,
        },
        spec: { type: 'clearml-tenant', owner: 'user:default/mallory' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'acme', annotations: acmeAnnotations },
        spec: {
          type: 'clearml-tenant',
          lifecycle: 'production',
          owner: 'user:default/mallory',
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'sigma', title: 'ClearML tenant sigma' },
        spec: { type: 'clearml-tenant', owner: 'user:default/mallory' },
      },
    ]
      .map(d => yaml.dump(d))
      .join('---\n'),
  );
  const config = world.config as any;
  config.catalog.locations.push(
    { type: 'file', target: intruderFile },
    { type: 'file', target: lookAlikesFile },
  );
  const base = config.clearml.clusters[0];
  config.clearml.clusters.push(
    { ...base, name: DEAD, url: deadUrl },
    { ...base, name: HUNG, url: hung.url, requestTimeoutSeconds: 1 },
    {
      ...base,
      name: REVOKED,
      serviceAccountToken: 'revoked-read',
      grantToken: 'revoked-grant',
    },
  );

  ({ backend, baseUrl } = await startTenantBackend(world));
  await eventually('the template and the intruder in the catalog', async () => {
    const template = await api(
      '/api/catalog/entities/by-name/template/default/clearml-tenant',
    );
    const intruder = await api(
      '/api/catalog/entities/by-name/resource/default/intruder',
    );
    const squatter = await api(
      '/api/catalog/entities/by-name/resource/default/sigma',
    );
    return template.status === 200 &&
      intruder.status === 200 &&
      squatter.status === 200
      ? true
      : undefined;
  });
});

afterAll(async () => {
  await backend?.stop();
  await hung?.close();
  await world?.close();
});

describe("1. YAML injection into the tenant's catalog-info.yaml", () => {
  const injected =
    'group:default/platform\n---\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: { name: pwned }\n';

  it('a task refuses an owner that is not an entity reference, before any write', async () => {
    const { status, log } = await unchanged(() =>
      runTemplate(formValues('injected', { owner: injected })),
    );
    expect(status).toBe('failed');
    expect(log).toContain(
      'owner: must be an entity reference of a Group or User',
    );
    expect(
      (await api('/api/catalog/entities/by-name/template/default/pwned'))
        .status,
    ).toBe(404);
  });

  it('a dry run of the real template refuses it too (400 naming the field)', async () => {
    const { status, body } = await unchanged(() =>
      api('/api/scaffolder/v2/dry-run', {
        method: 'POST',
        body: JSON.stringify({
          template: readTenantTemplate(),
          values: formValues('injected', { owner: injected }),
          directoryContents: [],
        }),
      }),
    );
    expect([status, body.error?.name]).toEqual([400, 'InputError']);
    expect(body.error.message).toContain('owner: must be an entity reference');
  });

  it('a hand-made catalog file with a second document never reaches the pull request', async () => {
    const twoDocuments = `apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: sneaky }\nspec: { type: clearml-tenant, owner: ${OWNER} }\n---\n${injected}`;
    const { status, body } = await unchanged(() =>
      dryRun(
        [
          { id: 'files', action: 'fetch:plain', input: { url: './files' } },
          {
            id: 'pr',
            action: 'clearml:gitops:pull-request',
            input: {
              repoUrl: `github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`,
              tenant: 'sneaky',
              description: 'x',
            },
          },
        ],
        {},
        [
          {
            path: 'files/catalog-info.yaml',
            base64Content: Buffer.from(twoDocuments).toString('base64'),
          },
        ],
      ),
    );
    expect([status, body.error?.name]).toEqual([400, 'InputError']);
    expect(body.error.message).toBe(
      'sourcePath: catalog-info.yaml must hold exactly one entity (it holds 3 YAML documents); it is what the catalog registers for tenant sneaky',
    );
  });
});

describe("2. the grant action reaches only the tenant's namespace and grants", () => {
  const grantStep = (input: Record<string, unknown>) => ({
    id: 'grant',
    action: 'clearml:scc:grant',
    input: { cluster: CLUSTER, tenant: 'acme', ...input },
  });

  it.each([
    [
      'a namespace outside the tenant pattern',
      { namespace: 'payments' },
      "namespace: namespace 'payments' does not match the tenant namespace pattern",
    ],
    [
      'a system namespace',
      { namespace: 'openshift-monitoring' },
      'namespace: must not be',
    ],
    [
      'ServiceAccount default',
      { grants: [{ scc: 'anyuid', serviceAccount: 'default' }] },
      "grants[0]: anyuid for ServiceAccount 'default' is not a grant tenant 'acme' needs",
    ],
    [
      'a ServiceAccount the tenant does not have',
      { grants: [{ scc: 'anyuid', serviceAccount: 'builder' }] },
      "grants[0]: anyuid for ServiceAccount 'builder'",
    ],
    [
      'privileged',
      { grants: [{ scc: 'privileged', serviceAccount: 'clearml-apiserver' }] },
      "grants[0].scc: SCC 'privileged' is not allowed",
    ],
  ])(
    'refuses %s (dry run, 400), sending nothing to the cluster',
    async (_what, input, message) => {
      const { status, body } = await unchanged(() =>
        dryRun([grantStep(input)]),
      );
      expect([status, body.error?.name]).toEqual([400, 'InputError']);
      expect(body.error.message).toContain(message);
    },
  );
});

describe("3. another tenant's namespace", () => {
  it('the grant action refuses a namespace labelled for another tenant (409)', async () => {
    const { status, body } = await unchanged(() =>
      dryRun([
        {
          id: 'grant',
          action: 'clearml:scc:grant',
          input: {
            cluster: CLUSTER,
            tenant: 'mallory',
            namespace: 'clearml-acme',
          },
        },
      ]),
    );
    expect([status, body.error?.name]).toEqual([409, 'ConflictError']);
    expect(body.error.message).toBe(
      "namespace: namespace 'clearml-acme' belongs to tenant 'acme' (label clear.ml/tenant=acme), not to 'mallory'; nothing was written",
    );
  });

  it('running the template for an existing tenant without a branch (vision) adds no grant and no second location', async () => {
    const { status, log } = await unchanged(() =>
      runTemplate(formValues('vision')),
    );
    expect(status).toBe('failed');
    expect(log).toContain(
      "tenant: tenant vision (namespace clearml-vision on cluster 'ocp-e2e') already exists",
    );
  });
});

describe('4. local targets', () => {
  it('create no repository that config does not list', async () => {
    const { status, log } = await unchanged(() =>
      runTemplate(
        formValues('delta', {
          repoUrl: `${LOCAL_GIT_HOST}?owner=mallory&repo=loot`,
          applyGrants: false,
        }),
      ),
    );
    expect(status).toBe('failed');
    expect(log).toContain(
      'repoUrl: repository mallory/loot does not exist on local git target git.local',
    );
  });

  it.each([
    [
      'the target branch as work branch',
      { branchName: 'main' },
      'branchName: "main" is a protected branch',
    ],
    [
      'a path above the tenant directory',
      { targetPath: 'tenants' },
      "targetPath: must be the tenant's directory tenants/delta or below it",
    ],
    [
      "another tenant's directory",
      { targetPath: 'tenants/acme', update: true },
      "targetPath: must be the tenant's directory tenants/delta",
    ],
  ])('refuse %s', async (_what, input, message) => {
    const { status, body } = await unchanged(() =>
      dryRun([
        {
          id: 'pr',
          action: 'clearml:gitops:pull-request',
          input: {
            repoUrl: `${LOCAL_GIT_HOST}?owner=platform&repo=gitops`,
            tenant: 'delta',
            description: 'x',
            ...input,
          },
        },
      ]),
    );
    expect([status, body.error?.name]).toEqual([400, 'InputError']);
    expect(body.error.message).toContain(message);
  });
});

describe('5. check everything before the first write', () => {
  it('an unknown cluster leaves no branch', async () => {
    const { status } = await unchanged(() =>
      runTemplate(formValues('epsilon', { cluster: 'nope' })),
    );
    expect(status).toBe('failed');
  });

  it('a hung cluster fails in seconds and leaves no branch', async () => {
    const started = Date.now();
    const { status, log } = await unchanged(() =>
      runTemplate(formValues('epsilon', { cluster: HUNG })),
    );
    expect(status).toBe('failed');
    expect(log).toMatch(new RegExp(`cluster '${HUNG}' did not answer`));
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a task that failed after its pull request is finished by running it again: one pull request, the grants applied', async () => {
    world.kubernetes.failNext({
      method: 'POST',
      path: '/rolebindings',
      code: 500,
      reason: 'InternalError',
      message: 'etcdserver: request timed out',
    });
    const first = await runTemplate(formValues('zeta'));
    expect(first.status).toBe('failed');
    expect(first.log).toContain('etcdserver: request timed out');
    const pullsAfterFirst = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .filter(p => p.head === 'clearml/zeta');
    expect(pullsAfterFirst).toHaveLength(1);

    const retry = await runTemplate(formValues('zeta'));
    expect([retry.status, retry.log]).toEqual([
      'completed',
      expect.stringContaining('already holds these files'),
    ]);
    expect(
      world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .filter(p => p.head === 'clearml/zeta'),
    ).toEqual(pullsAfterFirst);
    const binding = world.kubernetes.get(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      'system:openshift:scc:anyuid',
      'clearml-zeta',
    )!;
    expect(binding.subjects.map((s: any) => s.name)).toEqual([
      'clearml-apiserver',
      'clearml-fileserver',
      'clearml-webserver',
    ]);
    expect(
      world.kubernetes.get('v1', 'Namespace', 'clearml-zeta')?.metadata?.labels,
    ).toMatchObject({ 'clear.ml/tenant': 'zeta' });
  });
});

describe("6. the health API reads only the entity tenant's namespace", () => {
  it("answers 422 with the reason for a Resource from a user's file that names another tenant's namespace, reading nothing", async () => {
    world.kubernetes.clearRequests();
    const { status, body } = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent('resource:default/intruder')}`,
    );
    expect(status).toBe(422);
    expect(body.error.message).toContain(
      'Entity cannot be checked as a ClearML tenant: it was not registered from its own file tenants/intruder/catalog-info.yaml in a configured GitOps repository',
    );
    expect(world.kubernetes.requests).toEqual([]);
  });
});

describe('7. the pull-request description and its oc commands', () => {
  const summary = {
    cluster: CLUSTER,
    namespace: 'clearml-eta',
    edition: 'oss',
    securityProfile: 'anyuid',
    hosts: {
      api: 'eta-api.example.com',
      files: 'eta-files.example.com',
      web: 'eta-app.example.com',
    },
    sccGrants: [
      {
        scc: 'anyuid',
        serviceAccount: 'clearml-apiserver',
        reason: '<img src=x onerror=alert(1)>\n## Approved by security',
      },
    ],
    deviations: ['# LGTM, merge now', '<script>alert(1)</script>'],
  };
  const prStep = (s: object) => ({
    id: 'pr',
    action: 'clearml:gitops:pull-request',
    input: {
      repoUrl: `github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`,
      tenant: 'eta',
      summary: s,
    },
  });
  const catalogStep = {
    id: 'catalog',
    action: 'clearml:catalog-info:render',
    input: {
      tenant: 'eta',
      owner: OWNER,
      cluster: CLUSTER,
      namespace: 'clearml-eta',
      edition: 'oss',
    },
  };

  it('escapes every summary value: no HTML, no headings, commands quoted', async () => {
    const { status, body } = await unchanged(() =>
      dryRun([catalogStep, prStep(summary)]),
    );
    expect([status, body.error]).toEqual([200, undefined]);
    const messages = (body.log as any[]).map(l => String(l.body.message));
    const description = messages.find(m => m.includes('Pull request "'));
    expect([description !== undefined, messages]).toEqual([
      true,
      expect.anything(),
    ]);
    expect(description).not.toMatch(/<img|<script|\n#+ (LGTM|Approved)/);
    // Newlines become spaces (a heading needs its own line), HTML becomes entities, a leading # is escaped.
    expect(description).toContain(
      '| &lt;img src=x onerror=alert\\(1\\)&gt; ## Approved by security |',
    );
    expect(description).toContain('- \\# LGTM, merge now');
    expect(description).toContain(
      '- &lt;script&gt;alert\\(1\\)&lt;/script&gt;',
    );
    expect(description).toContain(
      "oc adm policy add-scc-to-user 'anyuid' -z 'clearml-apiserver' -n 'clearml-eta'",
    );
  });

  it('refuses a ServiceAccount that is not a name (it would reach a shell)', async () => {
    const hostile = {
      ...summary,
      sccGrants: [
        { scc: 'anyuid', serviceAccount: 'sa; rm -rf ~', reason: 'x' },
      ],
    };
    const { status, body } = await unchanged(() =>
      dryRun([catalogStep, prStep(hostile)]),
    );
    expect([status, body.error?.name]).toEqual([400, 'InputError']);
    expect(body.error.message).toContain(
      'summary.sccGrants[0].serviceAccount must be a ServiceAccount name (got "sa; rm -rf ~")',
    );
  });
});

describe('8. dead, hung and refusing clusters; a bad securityProfile', () => {
  const grantOn = (cluster: string) => [
    {
      id: 'grant',
      action: 'clearml:scc:grant',
      input: { cluster, tenant: 'theta', createNamespace: true },
    },
  ];

  it.each([
    [DEAD, "cluster 'ocp-dead' cannot be reached (ECONNREFUSED)"],
    [HUNG, "cluster 'ocp-hung' did not answer within 1s"],
    [
      REVOKED,
      "cluster 'ocp-revoked' rejected the credential (401 Unauthorized)",
    ],
  ])(
    'a grant dry run against %s is a 503 naming the cluster, never its URL, never a 500',
    async (cluster, message) => {
      const { status, body } = await unchanged(() => dryRun(grantOn(cluster)));
      expect([status, body.error?.name]).toEqual([
        503,
        'ServiceUnavailableError',
      ]);
      expect(body.error.message).toContain(message);
      expect(JSON.stringify(body)).not.toContain(deadUrl);
      expect(JSON.stringify(body)).not.toContain(hung.url);
      expect(JSON.stringify(body)).not.toContain(world.kubernetes.url);
      expect(JSON.stringify(body)).not.toContain('revoked-grant');
    },
  );

  it('a bad securityProfile is refused naming the field, and starts no task', async () => {
    const before =
      (await api('/api/scaffolder/v2/tasks')).body.totalTasks ??
      (await api('/api/scaffolder/v2/tasks')).body.tasks?.length;
    const { status, body } = await unchanged(() =>
      api('/api/scaffolder/v2/tasks', {
        method: 'POST',
        body: JSON.stringify({
          templateRef: 'template:default/clearml-tenant',
          values: formValues('iota', { securityProfile: 'root' }),
        }),
      }),
    );
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(
      'instance.securityProfile is not one of enum values',
    );
    const after =
      (await api('/api/scaffolder/v2/tasks')).body.totalTasks ??
      (await api('/api/scaffolder/v2/tasks')).body.tasks?.length;
    expect(after).toBe(before);
  });

  it('the read token is never in an answer', async () => {
    const { body } = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent('resource:default/intruder')}`,
    );
    expect(JSON.stringify(body)).not.toContain(READ_TOKEN);
  });
});

describe("9. a tenant's identity: only the entity the product registered is the tenant", () => {
  it.each([
    ['resource:evil/acme', "it is in catalog namespace 'evil'"],
    ['component:default/acme', 'it is a Component, not a Resource'],
    [
      'resource:default/sigma',
      'it was not registered from its own file tenants/sigma/catalog-info.yaml',
    ],
  ])(
    'the health API answers 422 for the look-alike %s and reads nothing',
    async (ref, reason) => {
      world.kubernetes.clearRequests();
      const { status, body } = await api(
        `/api/clearml/v1/health?entityRef=${encodeURIComponent(ref)}`,
      );
      expect(status).toBe(422);
      expect(body.error.message).toContain(reason);
      expect(JSON.stringify(body)).not.toContain('"components"');
      expect(world.kubernetes.requests).toEqual([]);
    },
  );

  it('the fleet lists no look-alike, squatter or intruder', async () => {
    const { status, body } = await api('/api/clearml/v1/tenants');
    expect(status).toBe(200);
    const refs = body.items.map((t: any) => t.entityRef);
    for (const ref of [
      'resource:evil/acme',
      'component:default/acme',
      'resource:default/sigma',
      'resource:default/intruder',
    ])
      expect(refs).not.toContain(ref);
    expect(JSON.stringify(body)).not.toContain('user:default/mallory');
  });

  it('a tenant whose entity ref a user registered first is refused at preflight, naming where it comes from and its owner; nothing is written', async () => {
    const { status, log } = await unchanged(() =>
      runTemplate(formValues('sigma', { applyGrants: true })),
    );
    expect(status).toBe('failed');
    expect(log).toContain(
      'tenant: resource:default/sigma already exists in the catalog, registered from file:',
    );
    expect(log).toContain('and owned by user:default/mallory');
    expect(log).toContain('Nothing was written');
  });

  it('an owner that does not exist, or is not the runner or one of their groups, is refused before anything is written', async () => {
    for (const [owner, message] of [
      [
        'group:default/ghosts',
        'owner: group:default/ghosts is not a User or Group in the catalog',
      ],
      [
        'group:default/platform',
        'owner: must be you (user:default/mock) or a group you belong to',
      ],
      [
        'user:default/mallory',
        'owner: must be you (user:default/mock) or a group you belong to',
      ],
    ]) {
      const { status, log } = await unchanged(() =>
        runTemplate(formValues('upsilon', { owner })),
      );
      expect({ owner, status }).toEqual({ owner, status: 'failed' });
      expect(log).toContain(message);
    }
  });

  it("two runs for one new tenant on one backend: one completes, the other conflicts; the branch and grants are the first one's", async () => {
    const runs = [
      formValues('tau', { description: 'run one', securityProfile: 'anyuid' }),
      formValues('tau', {
        description: 'run two',
        owner: 'user:default/mock',
        securityProfile: 'nonroot',
      }),
    ];
    const results = await Promise.all(runs.map(v => runTemplate(v)));
    expect(results.map(r => r.status).sort()).toEqual(['completed', 'failed']);
    const winner = results.findIndex(r => r.status === 'completed');
    expect(results[1 - winner].log).toMatch(
      /is being created or changed by another run|was created in platform\/gitops by another run|branch clearml\/tau already exists/,
    );
    const files = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      'clearml/tau',
    );
    expect(files['tenants/tau/catalog-info.yaml'].content).toContain(
      runs[winner].description as string,
    );
    expect(files['tenants/tau/catalog-info.yaml'].content).not.toContain(
      runs[1 - winner].description as string,
    );
    const bound = world.kubernetes
      .list('rbac.authorization.k8s.io/v1', 'RoleBinding', 'clearml-tau')
      .flatMap(b =>
        (b.subjects ?? []).map((s: any) => `${b.roleRef?.name} ${s.name}`),
      )
      .sort();
    const expected = sccGrantsForTenant(
      resolveTenant({
        tenant: 'tau',
        domain: runs[winner].domain,
        edition: 'oss',
        securityProfile: runs[winner].securityProfile,
        exposure: 'route',
        agent: { enabled: false },
        appGateway: { enabled: false },
      }),
    )
      .map(g => `${sccRoleName(g.scc)} ${g.serviceAccount}`)
      .sort();
    expect(bound).toEqual(expected);
  });

  it("the pull request carries no catalog entity besides the tenant's own catalog-info.yaml, wherever it hides", async () => {
    const location =
      'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: { name: loot }\nspec: { targets: [https://evil.example.com/t.yaml] }\n';
    const { status, body } = await unchanged(() =>
      dryRun(
        [
          { id: 'files', action: 'fetch:plain', input: { url: './files' } },
          {
            id: 'pr',
            action: 'clearml:gitops:pull-request',
            input: {
              repoUrl: `github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`,
              tenant: 'phi',
              description: 'x',
            },
          },
        ],
        {},
        [
          {
            path: 'files/deep/down/values.yaml',
            base64Content: Buffer.from(
              `kind: ConfigMap\n---\n${location}`,
            ).toString('base64'),
          },
        ],
      ),
    );
    expect([status, body.error?.name]).toEqual([400, 'InputError']);
    expect(body.error.message).toBe(
      "sourcePath: tenants/phi/deep/down/values.yaml holds a catalog entity (backstage.io/v1alpha1 Location); the only catalog file a tenant's pull request may carry is tenants/phi/catalog-info.yaml",
    );
  });

  it("a local target's task shows no path of the backend's disk", async () => {
    const { status, output, log } = await runTemplate(
      formValues('chi', {
        repoUrl: `${LOCAL_GIT_HOST}?owner=platform&repo=gitops`,
      }),
    );
    expect(status).toBe('completed');
    expect(JSON.stringify(output)).not.toContain(world.workDir);
    expect(log).not.toContain(world.workDir);
    expect(output.links[0].url).toBe(
      'git://git.local/platform/gitops.git#clearml/chi',
    );
  });
});
