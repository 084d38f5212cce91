/**
 * The health API end to end: the plugin in a test backend, the real
 * client-node against the Kubernetes API double (loaded with the tenants'
 * objects), the probes against a loopback ClearML double.
 */
import { anchored, ANCHOR_REPOSITORIES } from './__testUtils__/anchor';
import { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TenantHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlServerDouble,
  KubernetesApiDouble,
  closedPortUrl,
  startSilentServer,
  // The tenant's objects and failure signatures the double is loaded with.
  ACME,
  FixtureTenant,
  KubeObject,
  apply,
  crashLooping,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
  routeRefused,
  statefulSetPrivilegedInitRefusal,
} from '@internal/clearml-test-utils';
import clearmlPlugin from './index';
import { clearmlProbeFetchServiceRef } from './services';
import { documentedReaderRules } from './__testUtils__/readerRules';
import { tenantEntity } from './__testUtils__/tenantEntity';

const READ_TOKEN = 'health-read-token-3f9a1c';
const GRANT_TOKEN = 'scc-grant-token-8b2e7d';
const HIDDEN_FROM = 'user:default/outsider';
const DENIED = 'user:default/denied';
const ALICE = 'user:default/alice';

/** The rules of the ClusterRole the README documents: the test token may do exactly that. */

const tenants: Record<string, FixtureTenant> = {
  acme: ACME,
  blocked: {
    ...ACME,
    namespace: 'clearml-blocked',
    domain: 'blocked.example.com',
  },
  elastic: {
    ...ACME,
    namespace: 'clearml-elastic',
    domain: 'elastic.example.com',
  },
  crash: { ...ACME, namespace: 'clearml-crash', domain: 'crash.example.com' },
  busy: { ...ACME, namespace: 'clearml-busy', domain: 'busy.example.com' },
  probed: {
    ...ACME,
    namespace: 'clearml-probed',
    domain: 'probed.example.com',
  },
  gateway: {
    tenant: 'gateway',
    namespace: 'clearml-gw',
    release: 'clearml',
    edition: 'enterprise',
    domain: 'gw.example.com',
    appGateway: {
      namespace: 'clearml-gw-apps',
      release: 'clearml-app-gateway',
    },
  },
};

const SECRET: FixtureTenant = {
  ...ACME,
  namespace: 'clearml-secret',
  domain: 'secret.example.com',
};

function rsOf(objects: KubeObject[], deployment: string): string {
  return objects.find(
    o => o.kind === 'Pod' && o.metadata.name.startsWith(`${deployment}-`),
  )!.metadata.ownerReferences[0].name;
}

function clusterObjects(): KubeObject[] {
  const blocked = healthyTenantObjects(tenants.blocked);
  const elastic = healthyTenantObjects(tenants.elastic);
  const sts = elastic.find(
    o =>
      o.kind === 'StatefulSet' && o.metadata.name === 'clearml-elastic-master',
  )!;
  sts.spec.template.spec.initContainers = [
    {
      name: 'configure-sysctl',
      image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.18',
      securityContext: { privileged: true, runAsUser: 0 },
    },
  ];
  return [
    ...healthyTenantObjects(tenants.acme),
    ...healthyTenantObjects(SECRET),
    ...healthyTenantObjects(tenants.busy),
    ...healthyTenantObjects(tenants.probed),
    ...apply(
      blocked,
      podsRefused(
        'Deployment',
        'clearml-webserver',
        replicaSetSccRefusal(rsOf(blocked, 'clearml-webserver')),
      ),
    ),
    ...apply(
      elastic,
      podsRefused(
        'StatefulSet',
        'clearml-elastic-master',
        statefulSetPrivilegedInitRefusal('clearml-elastic-master'),
      ),
    ),
    ...apply(
      healthyTenantObjects(tenants.crash),
      crashLooping(
        'clearml-apiserver',
        '/opt/clearml/apiserver/entrypoint.sh: Permission denied',
      ),
    ),
    ...apply(
      healthyTenantObjects(tenants.gateway),
      routeRefused(
        'clearml-app-gateway',
        'RouteNotAdmitted',
        'wildcard routes are not allowed',
      ),
    ),
  ];
}

const entities: Entity[] = [
  ...Object.entries(tenants).map(([name, t]) =>
    tenantEntity(name, 'ocp-test', t),
  ),
  tenantEntity('dead', 'ocp-dead', { ...ACME, namespace: 'clearml-dead' }),
  tenantEntity('hung', 'ocp-hung', { ...ACME, namespace: 'clearml-hung' }),
  tenantEntity('elsewhere', 'ocp-unknown', ACME),
  // Entities anyone could register: naming another tenant's namespace, or one outside the tenant pattern.
  tenantEntity('intruder', 'ocp-test', ACME),
  tenantEntity('payments', 'ocp-test', { ...ACME, namespace: 'payments' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'plain', namespace: 'default' },
    spec: { type: 'database' },
  },
  tenantEntity('secret', 'ocp-test', SECRET, {
    labels: { visibility: 'private' },
  }),
  anchored({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'bare', namespace: 'default' },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  }),
  // Look-alikes of acme: its annotations (and even its location), but another kind, catalog namespace or file.
  { ...tenantEntity('acme', 'ocp-test', ACME), kind: 'Component' },
  {
    ...tenantEntity('acme', 'ocp-test', ACME),
    metadata: {
      ...tenantEntity('acme', 'ocp-test', ACME).metadata,
      namespace: 'evil',
    },
  },
  anchored(
    tenantEntity('acme2', 'ocp-test', ACME),
    'url:https://github.com/mallory/gitops/blob/main/tenants/acme2/catalog-info.yaml',
  ),
  anchored(
    tenantEntity('acme3', 'ocp-test', ACME),
    'url:https://github.com/platform/gitops/blob/main/tenants/acme/catalog-info.yaml',
  ),
  anchored(
    tenantEntity('acme4', 'ocp-test', ACME),
    'file:/tmp/tenants/acme4/catalog-info.yaml',
  ),
];

/** A catalog that, like the real one under a permission policy, does not show private entities to outsiders. */
function catalogFactory() {
  const all = catalogServiceMock({ entities });
  return catalogServiceMock.mock({
    getEntityByRef: async (ref, options) => {
      const entity = await all.getEntityByRef(ref);
      const who = (options as { credentials?: BackstageCredentials })
        ?.credentials?.principal as { userEntityRef?: string };
      if (
        entity?.metadata.labels?.visibility === 'private' &&
        who?.userEntityRef === HIDDEN_FROM
      )
        return undefined;
      return entity;
    },
  }).factory;
}

/** A permission policy that denies the health permission to one user. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () =>
    ({
      authorize: async (
        requests: any[],
        options: { credentials: BackstageCredentials },
      ) =>
        requests.map(() => ({
          result:
            (options.credentials.principal as { userEntityRef?: string })
              .userEntityRef === DENIED
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async (requests: any[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }) as any,
});

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('GET /api/clearml/v1/health', () => {
  let kube: KubernetesApiDouble;
  let clearml: ClearmlServerDouble;
  let hung: { url: string; close: () => Promise<void> };
  let baseUrl: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
        {
          name: 'granter',
          token: GRANT_TOKEN,
          rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        },
      ],
      objects: clusterObjects() as any,
    });
    clearml = await ClearmlServerDouble.start();
    hung = await startSilentServer();
    const backend = await startTestBackend({
      features: [
        clearmlPlugin,
        mockServices.rootConfig.factory({
          data: {
            clearml: {
              gitops: { repositories: ANCHOR_REPOSITORIES },
              clusters: [
                {
                  name: 'ocp-test',
                  url: kube.url,
                  serviceAccountToken: READ_TOKEN,
                  grantToken: GRANT_TOKEN,
                  skipTLSVerify: true,
                },
                {
                  name: 'ocp-dead',
                  url: await closedPortUrl(),
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
                {
                  name: 'ocp-hung',
                  url: hung.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                  requestTimeoutSeconds: 1,
                },
              ],
              // Per-namespace lists here; the shared view (informers) has its own tests in sharedView.test.ts.
              health: {
                cacheSeconds: 15,
                probeEndpoints: true,
                probeTimeoutSeconds: 2,
                sharedView: false,
              },
            },
          },
        }),
        catalogFactory(),
        permissionsFactory,
        createServiceFactory({
          service: clearmlProbeFetchServiceRef,
          deps: {},
          factory: () => clearml.fetchVia(),
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await kube?.close();
    await clearml?.close();
    await hung?.close();
  });

  async function get(entityRef: string | undefined, as: string | null = ALICE) {
    const query =
      entityRef === undefined
        ? ''
        : `?entityRef=${encodeURIComponent(entityRef)}`;
    const response = await fetch(`${baseUrl}/api/clearml/v1/health${query}`, {
      headers: {
        authorization:
          as === null
            ? mockCredentials.none.header()
            : mockCredentials.user.header(as),
      },
    });
    const text = await response.text();
    bodies.push(text);
    return {
      status: response.status,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const readerCalls = () =>
    kube.requests.filter(r => r.token === 'health-reader');

  it('reports a healthy tenant: every component, its workload, its admitted Route and its live endpoint', async () => {
    kube.clearRequests();
    const res = await get('resource:default/acme');
    expect(res.status).toBe(200);
    const health = res.body as TenantHealth;
    expect(health).toMatchObject({
      entityRef: 'resource:default/acme',
      cluster: 'ocp-test',
      namespace: 'clearml-acme',
      status: 'healthy',
    });
    expect(new Date(health.checkedAt).getTime()).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect(health.components.map(c => `${c.id}:${c.status}`)).toEqual([
      'apiserver:healthy',
      'fileserver:healthy',
      'webserver:healthy',
      'asyncdelete:healthy',
      'mongodb:healthy',
      'redis:healthy',
      'elasticsearch:healthy',
    ]);
    const api = health.components.find(c => c.id === 'apiserver')!;
    expect(api.route).toMatchObject({
      host: 'acme-api.clearml.apps.ocp.example.com',
      admitted: true,
    });
    expect(api.endpoint).toMatchObject({
      url: 'https://acme-api.clearml.apps.ocp.example.com/debug.ping',
      ok: true,
      httpStatus: 200,
    });
    // The probes went to the Route hosts read from the cluster, nowhere else.
    expect(clearml.requests.map(r => `${r.host}${r.path}`).sort()).toEqual([
      'acme-api.clearml.apps.ocp.example.com/debug.ping',
      'acme-app.clearml.apps.ocp.example.com/',
      'acme-files.clearml.apps.ocp.example.com/',
    ]);
    // One list per kind and chart label selector in the namespace, with the read-only token only; a settled
    // tenant needs no events.
    expect(
      readerCalls()
        .map(r => `${r.verb} ${r.path}?${r.query.labelSelector}`)
        .sort(),
    ).toEqual([
      'get /api/v1/namespaces/clearml-acme?undefined', // the tenant namespace guard: clear.ml/tenant names acme
      'list /api/v1/namespaces/clearml-acme/pods?app.kubernetes.io/name',
      'list /api/v1/namespaces/clearml-acme/pods?app=clearml-elastic-master',
      'list /api/v1/namespaces/clearml-acme/resourcequotas?app.kubernetes.io/managed-by=backstage', // its isolation
      'list /apis/apps/v1/namespaces/clearml-acme/deployments?app.kubernetes.io/name',
      'list /apis/apps/v1/namespaces/clearml-acme/statefulsets?app.kubernetes.io/name',
      'list /apis/apps/v1/namespaces/clearml-acme/statefulsets?app=clearml-elastic-master',
      'list /apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications?clear.ml/tenant=acme', // its GitOps sync
      'list /apis/networking.k8s.io/v1/namespaces/clearml-acme/networkpolicies?app.kubernetes.io/managed-by=backstage',
      'list /apis/route.openshift.io/v1/namespaces/clearml-acme/routes?app.kubernetes.io/managed-by=backstage',
    ]);
    expect(kube.requests.every(r => r.token === 'health-reader')).toBe(true);
  });

  it('answers a repeated request from the cache, without calling the cluster again', async () => {
    await get('resource:default/acme');
    kube.clearRequests();
    const res = await get('resource:default/acme');
    expect(res.status).toBe(200);
    expect(kube.requests).toHaveLength(0);
  });

  it('shares one check among 20 concurrent requests: 10 Kubernetes calls', async () => {
    kube.clearRequests();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => get('resource:default/busy')),
    );
    expect(responses.map(r => r.status)).toEqual(Array(20).fill(200));
    expect(responses.every(r => r.body.status === 'healthy')).toBe(true);
    expect(kube.requests).toHaveLength(10); // 8 lists, the namespace guard's one read and the Argo CD Applications' list
  });

  it('explains a webserver blocked by SCC admission: grant anyuid to its ServiceAccount in its namespace', async () => {
    kube.clearRequests();
    const res = await get('resource:default/blocked');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('down');
    const web = (res.body as TenantHealth).components.find(
      c => c.id === 'webserver',
    )!;
    expect(web.status).toBe('down');
    expect(web.workload).toEqual({
      kind: 'Deployment',
      name: 'clearml-webserver',
      ready: 0,
      desired: 1,
    });
    expect(web.endpoint).toBeUndefined();
    const problem = web.problems.find(p => p.reason === 'SCCForbidden')!;
    expect(problem.severity).toBe('error');
    expect(problem.hint).toContain(
      'Grant anyuid to ServiceAccount clearml-webserver in clearml-blocked',
    );
    expect(problem.hint).toContain(
      're-run the ClearML tenant template with grants applied',
    );
    // The refusal came from the events of the webserver's ReplicaSet alone, selected by involvedObject.
    const events = kube.requests.filter(
      r => r.path === '/api/v1/namespaces/clearml-blocked/events',
    );
    expect(events.map(r => r.query.fieldSelector)).toEqual([
      `type=Warning,involvedObject.kind=ReplicaSet,involvedObject.name=${rsOf(healthyTenantObjects(tenants.blocked), 'clearml-webserver')}`,
    ]);
    expect(
      (res.body as TenantHealth).components.find(c => c.id === 'apiserver')!
        .status,
    ).toBe('healthy');
  });

  it('explains elasticsearch blocked by its privileged sysctl init container', async () => {
    const res = await get('resource:default/elastic');
    expect(res.status).toBe(200);
    const es = (res.body as TenantHealth).components.find(
      c => c.id === 'elasticsearch',
    )!;
    expect(es.status).toBe('down');
    expect(es.problems[0].reason).toBe('PrivilegedInitContainerRefused');
    expect(es.problems[0].message).toContain('configure-sysctl');
    expect(es.problems[0].hint).toContain('elasticsearchSysctlInit off');
  });

  it('explains an app gateway Route refused for wildcard policy, reading the app gateway namespace too', async () => {
    kube.clearRequests();
    const res = await get('resource:default/gateway');
    expect(res.status).toBe(200);
    const gw = (res.body as TenantHealth).components.find(
      c => c.id === 'app-gateway',
    )!;
    expect(gw.status).toBe('degraded');
    expect(gw.route).toMatchObject({
      host: 'wildcard.gw-appgw.example.com',
      admitted: false,
      reason: 'RouteNotAdmitted',
    });
    expect(gw.problems[0].hint).toContain('wildcardPolicy: WildcardsAllowed');
    expect(res.body.status).toBe('degraded');
    // Two namespaces: eight lists each (six of workloads and Routes, two of isolation).
    expect(
      readerCalls().filter(r =>
        r.path.includes('/namespaces/clearml-gw-apps/'),
      ),
    ).toHaveLength(8);
    expect(readerCalls()).toHaveLength(19); // and one namespace read each for the guard, and the Applications' list
  });

  it('reports a crash-looping apiserver with the grant that lets its root image run', async () => {
    const res = await get('resource:default/crash');
    const api = (res.body as TenantHealth).components.find(
      c => c.id === 'apiserver',
    )!;
    expect(api.status).toBe('down');
    expect(api.problems[0]).toMatchObject({
      reason: 'CrashLoopBackOff',
      severity: 'error',
    });
    expect(api.problems[0].hint).toContain(
      'Grant anyuid to ServiceAccount clearml-apiserver in clearml-crash',
    );
  });

  it('marks a ready component degraded when its public endpoint fails the probe', async () => {
    clearml.answer('probed-app.example.com', 503);
    clearml.hang('probed-files.example.com');
    const res = await get('resource:default/probed');
    const components = (res.body as TenantHealth).components;
    const web = components.find(c => c.id === 'webserver')!;
    expect(web.status).toBe('degraded');
    expect(web.endpoint).toMatchObject({
      url: 'https://probed-app.example.com/',
      ok: false,
      httpStatus: 503,
    });
    expect(web.problems[0]).toMatchObject({
      reason: 'EndpointError',
      severity: 'error',
    });
    expect(web.problems[0].hint).toContain(
      "targetPort is the container's port",
    );
    const files = components.find(c => c.id === 'fileserver')!;
    expect(files.status).toBe('degraded');
    expect(files.endpoint).toMatchObject({
      ok: false,
      error: 'no answer within 2000 ms',
    });
    expect(components.find(c => c.id === 'apiserver')!.endpoint).toMatchObject({
      ok: true,
    });
    expect(res.body.status).toBe('degraded');
  });

  it('answers 200 with status unknown when the cluster does not answer', async () => {
    const res = await get('resource:default/dead');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('unknown');
    expect(res.body.components.length).toBe(7);
    for (const component of res.body.components) {
      expect(component.status).toBe('unknown');
      expect(component.problems[0].reason).toBe('ClusterUnreachable');
      expect(component.problems[0].message).toContain("cluster 'ocp-dead'");
      expect(component.problems[0].message).toContain('ECONNREFUSED');
    }
  });

  it('gives up on a hung API server after its request timeout, with status unknown', async () => {
    const started = Date.now();
    const res = await get('resource:default/hung');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('unknown');
    expect(res.body.components[0].problems[0].message).toContain(
      'did not answer within 1s',
    );
  });

  it('answers 400 for a missing or malformed entityRef', async () => {
    for (const ref of [undefined, '', 'acme', 'resource:default/']) {
      const res = await get(ref);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain('entityRef');
    }
  });

  it('answers 401 without credentials', async () => {
    const res = await get('resource:default/acme', null);
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity that does not exist, and for one the caller may not see', async () => {
    expect((await get('resource:default/nope')).status).toBe(404);
    expect((await get('resource:default/secret', ALICE)).status).toBe(200);
    const hidden = await get('resource:default/secret', HIDDEN_FROM);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.name).toBe('NotFoundError');
  });

  it('answers 403 when the permission policy denies clearml.tenant.health.read', async () => {
    const res = await get('resource:default/acme', DENIED);
    expect(res.status).toBe(403);
  });

  it('answers 422 for an entity without the tenant annotations, or naming a cluster that is not configured', async () => {
    const plain = await get('resource:default/plain');
    expect(plain.status).toBe(422);
    expect(plain.body.error.message).toBe(
      'Entity cannot be checked as a ClearML tenant: its spec.type is "database", not clearml-tenant',
    );
    expect(plain.body.response.statusCode).toBe(422);
    const bare = await get('resource:default/bare');
    expect(bare.status).toBe(422);
    expect(bare.body.error.message).toContain(
      'missing clear.ml/cluster, clear.ml/namespace, clear.ml/release, clear.ml/edition',
    );
    const elsewhere = await get('resource:default/elsewhere');
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.message).toContain(
      "'ocp-unknown', which is not a configured cluster",
    );
  });

  it('answers 422 for look-alikes of a tenant (another kind, catalog namespace, repository or file), reading nothing', async () => {
    kube.clearRequests();
    const cases: Array<[string, string]> = [
      ['component:default/acme', 'it is a Component, not a Resource'],
      [
        'resource:evil/acme',
        "it is in catalog namespace 'evil'; tenants are in 'default'",
      ],
      [
        'resource:default/acme2',
        'it was not registered from its own file tenants/acme2/catalog-info.yaml in a configured GitOps repository',
      ],
      [
        'resource:default/acme3',
        'it was not registered from its own file tenants/acme3/catalog-info.yaml',
      ],
      [
        'resource:default/acme4',
        'it comes from "file:/tmp/tenants/acme4/catalog-info.yaml"',
      ],
    ];
    for (const [ref, reason] of cases) {
      const res = await get(ref);
      expect({ ref, status: res.status }).toEqual({ ref, status: 422 });
      expect(res.body.error.message).toContain(
        `Entity cannot be checked as a ClearML tenant: `,
      );
      expect(res.body.error.message).toContain(reason);
      expect(JSON.stringify(res.body)).not.toContain('clearml-acme');
    }
    expect(readerCalls()).toEqual([]);
  });

  it("answers 422 with the reason for a namespace that is not the entity's tenant's, reading none of its objects", async () => {
    kube.clearRequests();
    const intruder = await get('resource:default/intruder');
    expect(intruder.status).toBe(422);
    expect(intruder.body.error.message).toBe(
      "Entity cannot be checked as ClearML tenant 'intruder': namespace 'clearml-acme' belongs to tenant 'acme' (label clear.ml/tenant=acme), not to 'intruder'",
    );
    const payments = await get('resource:default/payments');
    expect(payments.status).toBe(422);
    expect(payments.body.error.message).toContain(
      "namespace 'payments' does not match the tenant namespace pattern 'clearml-*'",
    );
    expect(readerCalls().map(r => `${r.verb} ${r.path}`)).toEqual([
      'get /api/v1/namespaces/clearml-acme',
    ]);
    expect(JSON.stringify([intruder.body, payments.body])).not.toContain(
      kube.url,
    );
  });

  it('never puts a cluster token in a response', () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const body of bodies) {
      expect(body).not.toContain(READ_TOKEN);
      expect(body).not.toContain(GRANT_TOKEN);
    }
  });
});
