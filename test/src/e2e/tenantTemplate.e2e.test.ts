/**
 * The "New ClearML tenant" template end to end: the real template file,
 * registered in the real catalog, run by the real scaffolder with the ClearML
 * module, against the Kubernetes and GitHub API doubles; the tenant it
 * registers answers on the clearml backend's health API.
 */
import path from 'path';
import yaml from 'js-yaml';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  appGatewayNames,
  DEFAULT_RELEASE_NAME,
  defaultNamespace,
  defaultTenantDomain,
  tenantEntityAnnotations,
  tenantHosts,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { parseYamlStream } from '@clearml-openshift/plugin-clearml-node';
import {
  localBranchHead,
  readLocalBlob,
} from '@clearml-openshift/plugin-clearml-node';
import {
  APPS_DOMAIN,
  CLUSTER,
  E2eWorld,
  GITOPS,
  LOCAL_GIT_HOST,
  templateDirectoryContents,
  startWorld,
  tenantFormValues,
} from './fixtures';
import {
  formProperty,
  readAllTemplates,
  readTenantTemplate,
  TemplateStep,
} from './templateFile';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from './__testUtils__/backendApi';

jest.setTimeout(90_000);

const OWNER = 'group:default/ml-team';
let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
const api = backendApi(() => baseUrl);
const runTemplate = (values: Record<string, unknown>) =>
  runTenantTemplate(api, values, 45_000);

const formValues = tenantFormValues;

async function registeredEntity(tenant: string): Promise<any> {
  return eventually(`resource:default/${tenant} in the catalog`, async () => {
    const { status, body } = await api(
      `/api/catalog/entities/by-name/resource/default/${tenant}`,
    );
    return status === 200 ? body : undefined;
  });
}

function roleBindings(
  namespace: string,
): Array<{ name: string; subjects: string[] }> {
  return world.kubernetes
    .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
    .map((b: any) => ({
      name: b.metadata.name,
      subjects: b.subjects.map((s: any) => s.name).sort(),
    }));
}

beforeAll(async () => {
  world = await startWorld();
  ({ backend, baseUrl } = await startTenantBackend(world));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
});

describe('the template in the scaffolder', () => {
  it("every template uses only the module's and the scaffolder's actions, with inputs their schemas declare and parameters its form declares", async () => {
    const { body: actions } = await api('/api/scaffolder/v2/actions');
    const schemas = new Map<string, any>(
      (actions as any[]).map(a => [a.id, a.schema?.input]),
    );
    const templates = readAllTemplates();
    expect(templates.map(([file]) => file)).toEqual([
      './clearml-tenant/template.yaml',
      './clearml-tenant-change/template.yaml',
      './clearml-tenant-retire/template.yaml',
      './clearml-fleet-upgrade/template.yaml',
    ]);
    for (const [file, template] of templates) {
      for (const step of template.spec.steps as TemplateStep[]) {
        const schema = schemas.get(step.action);
        expect([file, step.id, schema !== undefined]).toEqual([
          file,
          step.id,
          true,
        ]);
        // Every form parameter a step reads is one the form asks for.
        for (const value of Object.values(step.input ?? {})) {
          for (const [, name] of JSON.stringify(value).matchAll(
            /\$\{\{ *parameters\.(\w+)/g,
          ))
            expect([
              file,
              name,
              formProperty(template, name).length > 0,
            ]).toEqual([file, name, true]);
        }
        // catalog:register's input is a union: a key of any branch is accepted.
        const declared = new Set<string>([
          ...Object.keys(schema.properties ?? {}),
          ...[...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(
            (b: any) => Object.keys(b.properties ?? {}),
          ),
        ]);
        for (const key of Object.keys(step.input ?? {}))
          expect([file, step.id, key, declared.has(key)]).toEqual([
            file,
            step.id,
            key,
            true,
          ]);
      }
    }
  });
});

describe('New ClearML tenant, GitOps repository on GitHub', () => {
  it('opens the pull request with the rendered files and the catalog file, applies the grants asked for, registers the tenant, whose health answers', async () => {
    const tenant = 'acme';
    const namespace = defaultNamespace(tenant);
    const { task, log, output } = await runTemplate(
      formValues(tenant, { applyGrants: true }),
    );
    expect([task.status, log]).toEqual(['completed', expect.any(String)]);

    // The pull request, with the files under tenants/acme/ on branch clearml/acme.
    const [pull] = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .filter(p => p.head === 'clearml/acme');
    expect(pull).toBeDefined();
    const files = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      'clearml/acme',
    );
    expect(
      Object.keys(files)
        .filter(p => p.startsWith('tenants/'))
        .sort(),
    ).toEqual([
      'tenants/acme/applications.yaml',
      'tenants/acme/catalog-info.yaml',
      'tenants/acme/clearml-values.yaml',
      'tenants/acme/credentials.yaml',
      'tenants/acme/isolation.yaml',
      'tenants/acme/namespace.yaml',
      'tenants/acme/routes.yaml',
      'tenants/acme/scc-grants.yaml',
      'tenants/acme/tenant-settings.yaml',
    ]);
    const hosts = tenantHosts(defaultTenantDomain(tenant, APPS_DOMAIN));
    const routes = parseYamlStream(
      files['tenants/acme/routes.yaml'].content,
    ) as any[];
    expect(routes.map(r => r.spec.host).sort()).toEqual(
      [hosts.api, hosts.web, hosts.files].sort(),
    );
    // The description is made from the render steps' outputs: the grants are the applied ones.
    expect(pull.body).toContain(hosts.web);
    expect(pull.body).toMatch(/anyuid/);
    expect(pull.body).toContain('the template ran');

    // The grants exist: one RoleBinding system:openshift:scc:anyuid with the three core accounts.
    expect(roleBindings(namespace)).toEqual([
      {
        name: 'system:openshift:scc:anyuid',
        subjects: [
          'clearml-apiserver',
          'clearml-fileserver',
          'clearml-webserver',
        ],
      },
    ]);

    // The tenant in the catalog, read from the pull request's commit, with the annotations of docs/architecture.md#catalog-entity-of-a-tenant.
    const entity = await registeredEntity(tenant);
    const catalogFile = yaml.load(
      files['tenants/acme/catalog-info.yaml'].content,
    ) as any;
    expect(entity.metadata.annotations).toMatchObject(
      catalogFile.metadata.annotations,
    );
    const ours = Object.fromEntries(
      Object.entries(
        entity.metadata.annotations as Record<string, string>,
      ).filter(([k]) => /^(clear\.ml|backstage\.io\/kubernetes)/.test(k)),
    );
    expect(ours).toEqual(
      tenantEntityAnnotations({
        cluster: CLUSTER,
        namespace,
        release: DEFAULT_RELEASE_NAME,
        edition: 'oss',
        tenant,
        // Where the pull request is, so the card follows it from review to running.
        gitops: {
          repoUrl: `github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`,
          branch: 'clearml/acme',
        },
      }),
    );
    expect(entity.spec).toEqual({ type: 'clearml-tenant', owner: OWNER });
    // Registered from the pull request's commit (a branch clearml/acme in a /blob/<ref>/ URL would read as ref "clearml").
    const head = world.github.branchHead(
      GITOPS.owner,
      GITOPS.repo,
      'clearml/acme',
    )!.sha;
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toMatch(
      new RegExp(
        `^url:https://github\\.com/platform/gitops/(blob|tree)/${head}/tenants/acme/catalog-info\\.yaml$`,
      ),
    );

    // The output links: the pull request, the entity, the web UI.
    expect(output.links).toEqual([
      {
        title: 'Pull request',
        url: `https://github.com/${GITOPS.owner}/${GITOPS.repo}/pull/${pull.number}`,
      },
      {
        title: 'Tenant in the catalog',
        icon: 'catalog',
        entityRef: 'resource:default/acme',
      },
      { title: 'ClearML web UI', url: `https://${hosts.web}` },
    ]);

    // The health card's API answers for the registered entity: nothing is deployed yet (the PR is not merged).
    const health = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
    );
    expect(health.status).toBe(200);
    const report = health.body as TenantHealth;
    expect(report).toMatchObject({
      entityRef: 'resource:default/acme',
      cluster: CLUSTER,
      namespace,
    });
    expect(report.components.map(c => c.id)).toEqual(
      expect.arrayContaining([
        'apiserver',
        'fileserver',
        'webserver',
        'mongodb',
        'redis',
        'elasticsearch',
      ]),
    );
    expect(['down', 'progressing']).toContain(report.status);
  });

  it('applies no grant when not asked, and says in the pull request who must', async () => {
    const tenant = 'beta';
    const { task, log } = await runTemplate(
      formValues(tenant, {
        edition: 'enterprise',
        securityProfile: 'nonroot',
        appGateway: true,
      }),
    );
    expect([task.status, log]).toEqual(['completed', expect.any(String)]);
    expect(roleBindings(defaultNamespace(tenant))).toEqual([]);
    expect(
      world.kubernetes
        .writeRequests()
        .filter(r => r.path.includes(defaultNamespace(tenant))),
    ).toEqual([]);

    const [pull] = world.github
      .pullRequests(GITOPS.owner, GITOPS.repo)
      .filter(p => p.head === 'clearml/beta');
    // The grants are RoleBindings in the pull request: merging applies them (Argo CD); the oc commands stay for a cluster admin.
    expect(pull.body).toMatch(
      /The SCC grants above are in `scc-grants\.yaml`: merging applies them/,
    );
    expect(pull.body).toContain("oc adm policy add-scc-to-user 'nonroot-v2'");

    const files = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      'clearml/beta',
    );
    expect(
      Object.keys(files).filter(p => p.startsWith('tenants/beta/')),
    ).toContain('tenants/beta/clearml-app-gateway-values.yaml');
    const entity = await registeredEntity(tenant);
    expect(entity.metadata.annotations).toMatchObject(
      tenantEntityAnnotations({
        cluster: CLUSTER,
        namespace: defaultNamespace(tenant),
        release: DEFAULT_RELEASE_NAME,
        edition: 'enterprise',
        tenant,
        appGateway: {
          namespace: defaultNamespace(tenant),
          release: appGatewayNames(DEFAULT_RELEASE_NAME).release,
        },
      }),
    );
    const health = await api(
      `/api/clearml/v1/health?entityRef=resource:default/${tenant}`,
    );
    expect(health.status).toBe(200);
    expect((health.body as TenantHealth).components.map(c => c.id)).toContain(
      'app-gateway',
    );
  });
});

describe('New ClearML tenant, local git target', () => {
  it('pushes the branch into the bare repository and registers the tenant through the clearml backend', async () => {
    const tenant = 'gamma';
    const githubWrites = world.github.writes.length;
    const { task, log } = await runTemplate(
      formValues(tenant, {
        repoUrl: `${LOCAL_GIT_HOST}?owner=platform&repo=gitops`,
      }),
    );
    expect([task.status, log]).toEqual(['completed', expect.any(String)]);
    // (The catalog keeps re-reading the earlier tenants' files from GitHub; this tenant writes nothing there.)
    expect(world.github.writes.length).toBe(githubWrites);
    expect(world.github.requests.filter(r => r.path.includes('gamma'))).toEqual(
      [],
    );
    const gitdir = path.join(world.localGitDir, 'platform', 'gitops.git');
    const head = (await localBranchHead(gitdir, 'clearml/gamma'))!;
    const blob = await readLocalBlob(gitdir, head, 'tenants/gamma/routes.yaml');
    expect(blob?.toString('utf8')).toContain(
      'host: clearml-gamma-api.apps.ocp-e2e.example.com',
    );

    const entity = await registeredEntity(tenant);
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toMatch(
      /^url:http:\/\/localhost:\d+\/api\/clearml\/v1\/local-git\/git\.local\/platform\/gitops\/[0-9a-f]{40}\/tenants\/gamma\/catalog-info\.yaml$/,
    );
    expect(entity.metadata.annotations['clear.ml/namespace']).toBe(
      'clearml-gamma',
    );
    const health = await api(
      `/api/clearml/v1/health?entityRef=resource:default/${tenant}`,
    );
    expect(health.status).toBe(200);
  });
});

describe('New ClearML tenant, dry run', () => {
  it('renders the files and changes nothing: no request to GitHub, no write to the cluster', async () => {
    const githubRequests = world.github.requests.length;
    const kubernetesWrites = world.kubernetes.writeRequests().length;
    const { status, body } = await api('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({
        template: readTenantTemplate(),
        values: formValues('delta'),
        directoryContents: templateDirectoryContents(),
      }),
    });
    expect([status, body.error]).toEqual([200, undefined]);
    const files = new Map<string, string>(
      body.directoryContents.map((f: any) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    expect(
      [...files.keys()]
        .filter(p => p !== 'template.yaml' && p !== 'README.md')
        .sort(),
    ).toEqual([
      'applications.yaml',
      'catalog-info.yaml',
      'clearml-values.yaml',
      'credentials.yaml',
      'isolation.yaml',
      'namespace.yaml',
      'routes.yaml',
      'scc-grants.yaml',
      'tenant-settings.yaml',
    ]);
    expect(
      (yaml.load(files.get('catalog-info.yaml')!) as any).metadata.annotations,
    ).toMatchObject(
      tenantEntityAnnotations({
        cluster: CLUSTER,
        namespace: 'clearml-delta',
        release: DEFAULT_RELEASE_NAME,
        edition: 'oss',
        tenant: 'delta',
      }),
    );
    // Meanwhile the catalog keeps re-reading the registered tenants' catalog files from GitHub: those are not the dry run's.
    const catalogReread = (r: { method: string; path: string }) =>
      r.method === 'GET' &&
      /\/contents\/tenants\/[^/]+\/catalog-info\.yaml$/.test(r.path);
    expect(
      world.github.requests
        .slice(githubRequests)
        .filter(r => !catalogReread(r)),
    ).toEqual([]);
    expect(world.kubernetes.writeRequests().length).toBe(kubernetesWrites);
    const registered = await api(
      '/api/catalog/entities/by-name/resource/default/delta',
    );
    expect(registered.status).toBe(404);
  });
});
