/**
 * The shared per-cluster view: client-node informers against the Kubernetes
 * API double's watches, one per (kind, selector), read by every tenant on the
 * cluster. The read token has exactly the documented ClusterRole.
 */
import { ANCHOR_REPOSITORIES } from './__testUtils__/anchor';
import net, { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TENANT_OWNER_LABEL,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ACME,
  FixtureTenant,
  KubeObject,
  KubernetesApiDouble,
  apply,
  closedPortUrl,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
} from '@internal/clearml-test-utils';
import { buildKubeConfig } from '@clearml-openshift/plugin-clearml-node';
import clearmlPlugin from './index';
import { ClusterView } from './kubernetes/ClusterView';
import { kubeConfigStream } from './kubernetes/clusterStream';
import { documentedReaderRules } from './__testUtils__/readerRules';
import { tenantEntity as entity } from './__testUtils__/tenantEntity';

// Backends, doubles and informers start in beforeAll; on a loaded machine that takes more than jest's 5 s.
jest.setTimeout(60_000);

const READ_TOKEN = 'shared-view-read-token';
/**
 * clearml.health.staleSeconds in these tests: wide enough that a loaded machine still sees the
 * stale window (from the request timeout after a failure, to this bound) before it closes.
 */
const STALE_SECONDS = 10;
/**
 * requestTimeoutSeconds of the clusters that fail: short so that silence is noticed soon, but
 * long enough that a loopback answer on a loaded 2-core machine still comes in time.
 */
const REQUEST_TIMEOUT_SECONDS = 3;

const tenant = (i: number): FixtureTenant => ({
  ...ACME,
  namespace: `clearml-t${i}`,
  domain: `t${i}.example.com`,
});
const TENANTS = 10;
/** A first sweep on a fresh backend over many release names (the release-name race of issue #18). */
const MANY = 200;
const RELEASES = 41;
const manyTenant = (i: number): FixtureTenant => ({
  ...ACME,
  tenant: `m${i}`,
  namespace: `clearml-m${i}`,
  release: i % RELEASES === 0 ? 'clearml' : `rel${i % RELEASES}`,
  domain: `m${i}.example.com`,
});

/** The tenant's Namespace, labelled for it (the health API reads only namespaces labelled for the entity's tenant). */
function namespaceOf(namespace: string, tenantName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { [TENANT_OWNER_LABEL]: tenantName } },
  };
}

/** Task pods of the agent beside the server: bare pods with the agent's labels, which no selector matches. */
function taskPods(namespace: string, n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `clearml-id-${i}`,
      namespace,
      labels: {
        'ai.allegro.agent.serial': `pod-${i}`,
        'clearml-agent-queue-name': 'default',
      },
    },
    spec: { containers: [{ name: 'task', image: 'python:3.11' }] },
    status: { phase: 'Running' },
  }));
}

/** A loopback TCP proxy to the double that can go silent: connections stay open, nothing passes any more. */
async function silenceableProxy(target: string) {
  const { port: targetPort } = new URL(target);
  const sockets = new Set<net.Socket>();
  let silent = false;
  const server = net.createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (silent) return; // accepted, never answered
    const upstream = net.connect(Number(targetPort), '127.0.0.1');
    sockets.add(upstream);
    client.on('data', chunk => !silent && upstream.write(chunk));
    upstream.on('data', chunk => !silent && client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    // A silent server ends nothing either: the client's connections just stay quiet.
    upstream.on('close', () => !silent && client.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    silence: () => {
      silent = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('shared cluster view', () => {
  let kube: KubernetesApiDouble;
  let many: KubernetesApiDouble;
  let lonely: KubernetesApiDouble;
  let limited: KubernetesApiDouble;
  let quiet: KubernetesApiDouble;
  let quietProxy: Awaited<ReturnType<typeof silenceableProxy>>;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const blocked = healthyTenantObjects(tenant(1));
    const rs = blocked.find(
      o => o.kind === 'Pod' && o.metadata.name.startsWith('clearml-webserver-'),
    )!.metadata.ownerReferences[0].name;
    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
      ],
      objects: [
        ...Array.from({ length: TENANTS }, (_, i) =>
          namespaceOf(tenant(i).namespace, `t${i}`),
        ),
        ...healthyTenantObjects(tenant(0)),
        ...apply(
          blocked,
          podsRefused(
            'Deployment',
            'clearml-webserver',
            replicaSetSccRefusal(rs),
          ),
        ),
        ...Array.from({ length: TENANTS - 2 }, (_, i) =>
          healthyTenantObjects(tenant(i + 2)),
        ).flat(),
        ...taskPods(tenant(0).namespace, 200),
      ] as any,
    });
    many = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
      ],
      objects: Array.from({ length: MANY }, (_, i) =>
        healthyTenantObjects(manyTenant(i)),
      ).flat() as any,
    });
    lonely = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
      ],
      objects: [
        namespaceOf('clearml-lonely', 'lonely'),
        ...healthyTenantObjects({ ...ACME, namespace: 'clearml-lonely' }),
      ] as any,
    });
    // A token bound per namespace (RoleBindings), which may not list or watch cluster-wide.
    limited = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules().map(r =>
            r.resources.includes('namespaces')
              ? r
              : { ...r, namespaces: ['clearml-acme'] },
          ),
        },
      ],
      objects: [
        namespaceOf('clearml-acme', 'acme'),
        ...healthyTenantObjects(ACME),
      ] as any,
    });
    quiet = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
      ],
      objects: [
        namespaceOf('clearml-quiet', 'quiet'),
        ...healthyTenantObjects({ ...ACME, namespace: 'clearml-quiet' }),
      ] as any,
    });
    quietProxy = await silenceableProxy(quiet.url);
    const backend = await startTestBackend({
      features: [
        clearmlPlugin,
        mockServices.rootConfig.factory({
          data: {
            // These tests read no pull request: GitHub refuses at once (no name lookup per check and stage).
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: await closedPortUrl() },
              ],
            },
            clearml: {
              gitops: { repositories: ANCHOR_REPOSITORIES },
              clusters: [
                {
                  name: 'ocp',
                  url: kube.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
                {
                  name: 'ocp-many',
                  url: many.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
                {
                  name: 'ocp-lonely',
                  url: lonely.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                  requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
                },
                {
                  name: 'ocp-limited',
                  url: limited.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
                {
                  name: 'ocp-quiet',
                  url: quietProxy.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                  requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
                },
              ],
              health: {
                cacheSeconds: 0,
                probeEndpoints: false,
                sharedView: true,
                watchSeconds: 1,
                staleSeconds: STALE_SECONDS,
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            ...Array.from({ length: TENANTS }, (_, i) =>
              entity(`t${i}`, 'ocp', tenant(i)),
            ),
            ...Array.from({ length: MANY }, (_, i) =>
              entity(`m${i}`, 'ocp-many', manyTenant(i)),
            ),
            entity('lonely', 'ocp-lonely', {
              ...ACME,
              namespace: 'clearml-lonely',
            }),
            entity('acme', 'ocp-limited', ACME),
            entity('quiet', 'ocp-quiet', {
              ...ACME,
              namespace: 'clearml-quiet',
            }),
          ],
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await kube?.close();
    await many?.close();
    await lonely?.close();
    await limited?.close();
    await quietProxy?.close();
    await quiet?.close();
  });

  async function health(name: string): Promise<TenantHealth> {
    const res = await fetch(
      `${baseUrl}/api/clearml/v1/health?entityRef=resource:default/${name}`,
      {
        headers: {
          authorization: mockCredentials.user.header('user:default/alice'),
        },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as TenantHealth;
  }

  async function fleet(): Promise<
    Array<{ entityRef: string; status: string; statusReason?: string }>
  > {
    const res = await fetch(`${baseUrl}/api/clearml/v1/tenants`, {
      headers: {
        authorization: mockCredentials.user.header('user:default/alice'),
      },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: any[] }).items;
  }

  it('serves every tenant of a cluster from one list and one watch per (kind, selector), cluster-wide, and the Argo CD Applications', async () => {
    kube.clearRequests();
    const reports = await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => health(`t${i}`)),
    );
    expect(reports.map(r => r.status)).toEqual([
      'healthy',
      'down',
      ...Array(TENANTS - 2).fill('healthy'),
    ]);
    const lists = kube.requests.filter(
      r => r.verb === 'list' && !r.path.endsWith('/events'),
    );
    expect(lists.map(r => r.path).sort()).toEqual([
      '/api/v1/namespaces',
      '/api/v1/pods',
      '/api/v1/pods',
      '/api/v1/resourcequotas',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/statefulsets',
      '/apis/apps/v1/statefulsets',
      '/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications',
      '/apis/networking.k8s.io/v1/networkpolicies',
      '/apis/route.openshift.io/v1/routes',
    ]);
    // The 200 task pods were never transferred.
    expect(lists.every(r => r.query.labelSelector)).toBe(true);
    expect(kube.bytesServed(r => r.path === '/api/v1/pods')).toBeLessThan(
      100_000,
    );
    // Only the blocked tenant's unsettled webserver needed events: its ReplicaSet's.
    expect(
      kube.requests.filter(r => r.path.endsWith('/events')).map(r => r.path),
    ).toEqual(['/api/v1/namespaces/clearml-t1/events']);
    await until(() => kube.openWatches === 10, 'ten watches');

    // A second sweep of every tenant lists nothing again, and checks the namespaces' owners from the view.
    kube.clearRequests();
    await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => health(`t${i}`)),
    );
    expect(
      kube.requests.filter(
        r => r.verb === 'list' && !r.path.endsWith('/events'),
      ),
    ).toHaveLength(0);
    expect(kube.requests.filter(r => r.verb === 'get')).toHaveLength(0);
  });

  it(`answers a first sweep of ${MANY} tenants on ${RELEASES} release names on a fresh backend with no unknown, from one list per read`, async () => {
    many.clearRequests();
    const rows = (await fleet()).filter(r =>
      /resource:default\/m\d+$/.test(r.entityRef),
    );
    expect(rows).toHaveLength(MANY);
    expect(rows.filter(r => r.status !== 'healthy')).toEqual([]);
    // Release names do not change what is listed: ten lists (NetworkPolicies and ResourceQuotas among them), none repeated.
    const lists = many.requests.filter(
      r => r.verb === 'list' && !r.path.endsWith('/events'),
    );
    expect(lists).toHaveLength(10);
  });

  it('sees changes through its watches, and reconnects watches the server ends without listing again', async () => {
    kube.clearRequests();
    kube.endWatches();
    await until(() => kube.openWatches === 10, 'the watches to reconnect');
    const web = kube.get(
      'apps/v1',
      'Deployment',
      'clearml-webserver',
      'clearml-t2',
    )!;
    web.status.readyReplicas = 0;
    kube.load([web]);
    await until(
      async () =>
        (await health('t2')).components.find(c => c.id === 'webserver')!
          .status !== 'healthy',
      'the change',
    );
    expect(
      kube.requests.filter(
        r => r.verb === 'list' && !r.path.endsWith('/events'),
      ),
    ).toHaveLength(0);
  });

  it('falls back to per-namespace lists when the token may not list cluster-wide', async () => {
    const report = await health('acme');
    expect(report.status).toBe('healthy');
    expect(
      limited.requests.some(
        r =>
          r.verb === 'list' &&
          r.path === '/apis/apps/v1/namespaces/clearml-acme/deployments',
      ),
    ).toBe(true);
  });

  it('serves the last known state, marked stale, through refused watch reconnects (503 with Retry-After), and is current again after', async () => {
    const before = await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => health(`t${i}`)),
    );
    kube.clearRequests();
    kube.failNext({
      watch: true,
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'the server is currently unable to handle the request',
      retryAfterSeconds: 1,
      times: 16,
    });
    kube.endWatches();
    await until(
      async () => (await health('t2')).stale !== undefined,
      'a stale report',
    );
    const reports = await Promise.all(
      Array.from({ length: TENANTS }, (_, i) => health(`t${i}`)),
    );
    // Every tenant keeps its last state (t1 is still down for its SCC refusal), marked stale with what happened.
    expect(reports.map(r => r.status)).toEqual(before.map(r => r.status));
    expect(reports.map(r => r.components)).toEqual(
      before.map(r => r.components),
    );
    for (const report of reports) {
      expect(report.stale).toMatchObject({
        reason: expect.stringMatching(
          /503 ServiceUnavailable.*Retry-After: 1s/,
        ),
      });
      expect(report.stale!.ageSeconds).toBeLessThan(STALE_SECONDS);
    }
    // Retries waited for Retry-After (1 s): no informer asked again sooner.
    const refused = kube.requests.filter(
      r => r.verb === 'watch' && r.status === 503,
    );
    expect(refused.length).toBeGreaterThan(0);
    await until(
      async () => (await health('t2')).stale === undefined,
      'a current report again',
    );
    // Nothing was listed again: the watches resumed from their versions.
    expect(
      kube.requests.filter(
        r => r.verb === 'list' && !r.path.endsWith('/events'),
      ),
    ).toHaveLength(0);
  });

  it('re-lists only the informer whose watch history expired (410)', async () => {
    await until(() => kube.openWatches === 10, 'ten watches');
    const watched = new Set(
      kube.requests.filter(r => r.verb === 'watch').map(r => r.path),
    );
    kube.clearRequests();
    // A change the Deployments informer does not see, then compaction: its version is now too old.
    kube.load([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unrelated', namespace: 'clearml-t0' },
        data: { a: String(Date.now()) },
      },
    ]);
    kube.compact();
    kube.endWatches(p => p === '/apis/apps/v1/deployments');
    await until(
      () =>
        kube.requests.some(
          r => r.verb === 'list' && r.path === '/apis/apps/v1/deployments',
        ) && kube.openWatches === 10,
      'the deployments informer to list again',
    );
    // Every other watch renews meanwhile (watchSeconds: 1), from its version: no list.
    await until(
      () =>
        [...watched].every(path =>
          kube.requests.some(r => r.verb === 'watch' && r.path === path),
        ),
      'every watch to renew',
    );
    expect(
      kube.requests
        .filter(r => r.verb === 'list' && !r.path.endsWith('/events'))
        .map(r => r.path),
    ).toEqual(['/apis/apps/v1/deployments']);
    expect((await health('t3')).status).toBe('healthy');
  });

  it('serves a cluster that stops answering as stale, then unknown past staleSeconds, saying it cannot be reached', async () => {
    expect((await health('lonely')).status).toBe('healthy');
    await lonely.close();
    const stopped = Date.now();
    let stale: TenantHealth | undefined;
    await until(
      async () => (stale = await health('lonely')).stale !== undefined,
      'stale',
      10_000,
    );
    // The report that said stale: still the last known state (no second call that may come too late).
    expect(stale!.status).toBe('healthy');
    // The open watches are reset when the server goes, then reconnects are refused: either is what happened.
    expect(stale!.stale!.reason).toMatch(
      /cannot be reached \((ECONNRESET|ECONNREFUSED)\)/,
    );
    await until(
      async () => (await health('lonely')).status === 'unknown',
      'unknown',
      STALE_SECONDS * 1000 + 5000,
    );
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(
      (STALE_SECONDS - 1) * 1000,
    );
    const report = await health('lonely');
    expect(report.stale).toBeUndefined();
    expect(report.components[0].problems[0]).toMatchObject({
      reason: 'ClusterUnreachable',
      message: expect.stringMatching(
        /has not been heard from for \d+s .*clearml\.health\.staleSeconds.*cannot be reached \((ECONNREFUSED|ECONNRESET)\)/,
      ),
    });
  });

  it('serves a cluster that goes silent (connections open, no answers) as stale, then unknown past staleSeconds with what happened', async () => {
    expect((await health('quiet')).status).toBe('healthy');
    quietProxy.silence();
    const silenced = Date.now();
    let stale: TenantHealth | undefined;
    await until(
      async () => (stale = await health('quiet')).stale !== undefined,
      'stale',
      10_000,
    );
    // The report that said stale: still the last known state.
    expect(stale!.status).toBe('healthy');
    expect(stale!.stale!.ageSeconds).toBeLessThan(STALE_SECONDS);
    await until(
      async () => (await health('quiet')).status === 'unknown',
      'unknown',
      STALE_SECONDS * 1000 + 6000,
    );
    expect(Date.now() - silenced).toBeGreaterThanOrEqual(
      (STALE_SECONDS - 1) * 1000,
    );
    expect((await health('quiet')).components[0].problems[0].message).toMatch(
      /has not been heard from for \d+s .*(did not answer|sent nothing)/,
    );
  });
});

describe('shared cluster view: what it holds', () => {
  let kube: KubernetesApiDouble;
  let view: ClusterView;

  const foreign = (namespace: string): KubeObject[] => [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'redis-master-0',
        namespace,
        labels: { 'app.kubernetes.io/name': 'redis' },
      },
      spec: { containers: [{ name: 'redis', image: 'redis:7' }] },
      status: { phase: 'Running' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'clearml-apiserver',
        namespace,
        labels: { 'app.kubernetes.io/name': 'clearml' },
      },
      spec: { replicas: 1 },
    },
    {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: {
        name: 'theirs',
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'backstage' },
      },
      spec: {
        host: 'x.example.com',
        to: { kind: 'Service', name: 'x' },
        tls: { termination: 'edge', key: 'PRIVATE KEY', certificate: 'CERT' },
      },
    },
  ];

  beforeAll(async () => {
    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules(),
        },
      ],
      objects: [
        ...healthyTenantObjects(ACME),
        ...foreign('other-team'),
        ...foreign('clearml-later'),
      ] as any,
    });
    const cluster = {
      name: 'ocp',
      url: kube.url,
      serviceAccountToken: READ_TOKEN,
      skipTLSVerify: true,
    } as any;
    view = new ClusterView({
      cluster,
      stream: kubeConfigStream(buildKubeConfig(cluster, 'read'), 5000),
      timeoutMs: 5000,
      watchSeconds: 30,
      staleSeconds: 60,
      tenantNamespaces: { namespacePattern: 'clearml-*', adopt: [] },
      logger: mockServices.logger.mock(),
    });
    await view.ensure(10_000);
  });

  afterAll(async () => {
    await view?.stop();
    await kube?.close();
  });

  it("never holds objects of namespaces that are not tenants', even when they carry the charts' labels", () => {
    expect(view.objectsIn('other-team').objects).toMatchObject({
      pods: [],
      deployments: [],
      routes: [],
    });
    expect(view.objectsIn('clearml-later').objects.pods).toEqual([]);
    const held = view.objectsIn(ACME.namespace).objects;
    expect(held.deployments.length).toBeGreaterThan(0);
    // Trimmed: no managed fields, no TLS key, no env.
    expect(JSON.stringify(held)).not.toMatch(/managedFields|"env"|PRIVATE KEY/);
  });

  it('holds a namespace once it is labelled for a tenant (one selected list per read in it), and drops it when the label goes', async () => {
    kube.clearRequests();
    const ns = kube.get('v1', 'Namespace', 'clearml-later')!;
    kube.load([
      {
        ...ns,
        metadata: { ...ns.metadata, labels: { [TENANT_OWNER_LABEL]: 'later' } },
      },
    ]);
    // Each read fills the namespace on its own: wait for the pods' and the Routes' lists both.
    await until(
      () =>
        view.objectsIn('clearml-later').objects.pods.length === 1 &&
        view.objectsIn('clearml-later').objects.routes.length === 1,
      'the new tenant namespace',
    );
    // The Route's certificate (public) is kept for the diagnosis; its key never is.
    expect(view.objectsIn('clearml-later').objects.routes[0].spec.tls).toEqual({
      termination: 'edge',
      certificate: 'CERT',
    });
    expect(
      kube.requests
        .filter(r => r.verb === 'list')
        .every(
          r =>
            r.path.startsWith('/api/v1/namespaces/clearml-later/') ||
            (r.path.startsWith('/apis/') &&
              r.path.includes('/namespaces/clearml-later/')),
        ),
    ).toBe(true);
    kube.load([{ ...ns, metadata: { ...ns.metadata, labels: {} } }]);
    await until(
      () => view.objectsIn('clearml-later').objects.pods.length === 0,
      'the namespace dropped',
    );
    expect(view.objectsIn('other-team').objects.pods).toEqual([]);
  });
});
