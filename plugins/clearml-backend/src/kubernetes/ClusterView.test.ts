/**
 * The shared view of one cluster on its own: the production stream over the
 * cluster's read KubeConfig against the Kubernetes API double (real lists,
 * watches, bookmarks, 410 Expired, refusals), the token with exactly the
 * documented ClusterRole unless a test takes rules away.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { TENANT_OWNER_LABEL } from '@clearml-openshift/plugin-clearml-common';
import {
  ACME,
  KubeObject,
  KubernetesApiDouble,
  KubernetesPolicyRule,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import {
  ClearmlCluster,
  buildKubeConfig,
} from '@clearml-openshift/plugin-clearml-node';
import { ClusterView } from './ClusterView';
import { kubeConfigStream } from './clusterStream';
import { ClusterReadError } from './readNamespace';
import { TENANT_READS } from './reads';
import { documentedReaderRules } from '../__testUtils__/readerRules';

jest.setTimeout(60_000);

const TOKEN = 'cluster-view-read-token';
const ARGOCD = 'openshift-gitops';

async function until(
  check: () => boolean,
  what: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

function application(name: string, tenant: string, health: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: ARGOCD,
      labels: { [TENANT_OWNER_LABEL]: tenant },
    },
    status: { sync: { status: 'Synced' }, health: { status: health } },
  };
}

/** A namespace that carries the charts' labels but is nobody's tenant (no clear.ml/tenant). */
const OTHER_TEAM: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'clearml-apiserver-0',
      namespace: 'clearml-other',
      labels: { 'app.kubernetes.io/name': 'clearml' },
    },
    spec: { containers: [{ name: 'apiserver', image: 'clearml:1' }] },
    status: { phase: 'Running' },
  },
];

/** The list/watch requests of the view's workload reads (the namespaces' and Applications' apart). */
const workloadRequests = (kube: KubernetesApiDouble, verb: string) =>
  kube.requests.filter(
    r =>
      r.verb === verb &&
      !r.path.startsWith('/api/v1/namespaces?') &&
      r.path !== '/api/v1/namespaces' &&
      !r.path.includes('/applications'),
  );

describe('ClusterView', () => {
  let kube: KubernetesApiDouble;
  let view: ClusterView | undefined;
  /** Added to the view's clock: how far the tests moved time on. */
  let skewMs = 0;

  async function startView(
    options: {
      rules?: KubernetesPolicyRule[];
      bookmarkMs?: number;
      watchSeconds?: number;
      staleSeconds?: number;
    } = {},
  ): Promise<ClusterView> {
    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: TOKEN,
          rules: options.rules ?? documentedReaderRules(),
        },
      ],
      objects: [
        ...healthyTenantObjects(ACME),
        ...OTHER_TEAM,
        application('acme', 'acme', 'Healthy'),
        application('globex', 'globex', 'Degraded'),
      ] as any,
      ...(options.bookmarkMs ? { bookmarkMs: options.bookmarkMs } : {}),
    });
    const cluster: ClearmlCluster = {
      name: 'ocp',
      url: kube.url,
      serviceAccountToken: TOKEN,
      skipTLSVerify: true,
    } as ClearmlCluster;
    view = new ClusterView({
      cluster,
      stream: kubeConfigStream(buildKubeConfig(cluster, 'read'), 5000),
      timeoutMs: 5000,
      watchSeconds: options.watchSeconds ?? 30,
      staleSeconds: options.staleSeconds ?? 60,
      tenantNamespaces: { namespacePattern: 'clearml-*', adopt: [] },
      logger: mockServices.logger.mock(),
      now: () => Date.now() + skewMs,
      argocdNamespace: ARGOCD,
    });
    await view.ensure(10_000);
    // Listed; with every right, each read then opens its watch (the Namespaces' and the Applications' too).
    if (!options.rules)
      await until(
        () => kube.openWatches === TENANT_READS.length + 2,
        'every watch open',
      );
    return view;
  }

  beforeEach(() => {
    skewMs = 0;
  });

  afterEach(async () => {
    await view?.stop();
    view = undefined;
    await kube?.close();
  });

  it('lists each read once, holds only the tenant namespaces, and follows changes through the watches', async () => {
    const v = await startView();
    expect(workloadRequests(kube, 'list')).toHaveLength(TENANT_READS.length);
    const held = v.objectsIn(ACME.namespace);
    expect(held.stale).toBeUndefined();
    expect(held.objects.deployments.map(d => d.metadata?.name)).toContain(
      'clearml-apiserver',
    );
    expect(held.objects.routes).toHaveLength(3);
    // The charts' labels alone do not make a tenant.
    expect(v.objectsIn('clearml-other').objects.pods).toEqual([]);

    const before = kube.get(
      'apps/v1',
      'Deployment',
      'clearml-apiserver',
      ACME.namespace,
    )!;
    kube.load([
      {
        ...before,
        status: { ...before.status, readyReplicas: 0, availableReplicas: 0 },
      },
    ]);
    const apiserver = () =>
      v
        .objectsIn(ACME.namespace)
        .objects.deployments.find(
          d => d.metadata?.name === 'clearml-apiserver',
        );
    await until(
      () => apiserver()?.status?.readyReplicas === 0,
      'the change to arrive through the watch',
    );
    expect(workloadRequests(kube, 'list')).toHaveLength(TENANT_READS.length);
  });

  it("answers a tenant namespace's labels and the tenant's own Argo CD Applications from what it holds", async () => {
    const v = await startView();
    const requests = kube.requests.length;
    expect(v.labelledNamespace(ACME.namespace)?.labels).toMatchObject({
      [TENANT_OWNER_LABEL]: 'acme',
    });
    expect(v.labelledNamespace('clearml-other')).toBeUndefined();
    const apps = v.applications('acme');
    expect('items' in apps && apps.items.map(a => a.metadata.name)).toEqual([
      'acme',
    ]);
    expect(kube.requests.length).toBe(requests);
  });

  it("renews its watches from the bookmarks' version: after a compaction the renewal needs no list", async () => {
    const v = await startView({ bookmarkMs: 200, watchSeconds: 2 });
    // Objects the view does not watch move the cluster's version on; only bookmarks tell the view of it.
    kube.load(
      Array.from({ length: 20 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `unrelated-${i}`, namespace: 'elsewhere' },
        data: { i: String(i) },
      })),
    );
    // Only bookmarks carry the new version to the view: wait until every workload watch was opened
    // again from it (the renewal's resourceVersion is what the informer had learnt).
    const version = Number(
      kube.get('v1', 'ConfigMap', 'unrelated-19', 'elsewhere')?.metadata
        ?.resourceVersion,
    );
    await until(
      () =>
        new Set(
          workloadRequests(kube, 'watch')
            .filter(r => Number(r.query.resourceVersion) >= version)
            .map(r => `${r.path}?${r.query.labelSelector}`),
        ).size === TENANT_READS.length,
      'every watch to learn the version from a bookmark',
    );
    kube.compact();
    kube.clearRequests();
    kube.endWatches();
    await until(
      () => workloadRequests(kube, 'watch').length >= TENANT_READS.length,
      'every watch reopened',
    );
    await new Promise(r => setTimeout(r, 500));
    expect(workloadRequests(kube, 'list')).toEqual([]);
    expect(v.size().expiredRelists).toBe(0);
    expect(v.objectsIn(ACME.namespace).stale).toBeUndefined();
  });

  it('re-lists only the read whose history is gone (410 Expired)', async () => {
    const v = await startView(); // bookmarks every 60 s: none during the test
    kube.load([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'moves-the-version', namespace: 'elsewhere' },
      },
    ]);
    kube.compact();
    kube.clearRequests();
    kube.endWatches(p => p === '/apis/apps/v1/deployments');
    // The count moves before the list is sent: wait for the list's answer too.
    await until(
      () =>
        v.size().expiredRelists === 1 &&
        workloadRequests(kube, 'list').length > 0,
      'the re-list',
    );
    await new Promise(r => setTimeout(r, 500)); // room for any other re-list
    expect(workloadRequests(kube, 'list').map(r => r.path)).toEqual([
      '/apis/apps/v1/deployments',
    ]);
    expect(
      v.objectsIn(ACME.namespace).objects.deployments.length,
    ).toBeGreaterThan(0);
  });

  it('serves its last known state, marked stale with the cause, while the cluster refuses; past staleSeconds it cannot tell', async () => {
    const v = await startView({ staleSeconds: 60 });
    kube.failNext({
      watch: true,
      code: 503,
      message: 'the server is currently unable to handle the request',
      retryAfterSeconds: 30,
      times: 100,
    });
    kube.endWatches();
    await until(
      () => v.objectsIn(ACME.namespace).stale !== undefined,
      'the refused renewals',
    );
    const { objects, stale } = v.objectsIn(ACME.namespace);
    expect(objects.deployments.length).toBeGreaterThan(0);
    expect(stale!.reason).toMatch(/503|unable to handle/);
    expect(stale!.reason).toContain('Retry-After: 30s');
    expect(Date.parse(stale!.asOf)).toBeLessThanOrEqual(Date.now());

    skewMs = 61_000;
    expect(() => v.objectsIn(ACME.namespace)).toThrow(ClusterReadError);
    expect(() => v.objectsIn(ACME.namespace)).toThrow(
      /has not been heard from for \d+s .*longer than the 60s its last known state is served \(clearml\.health\.staleSeconds\)/,
    );
    // The namespace guard then reads the namespace itself; the Applications say why they cannot be told.
    expect(v.labelledNamespace(ACME.namespace)).toBeUndefined();
    expect(v.applications('acme')).toEqual({
      unavailable: expect.stringMatching(
        /^Argo CD Applications could not be read: /,
      ),
    });
  });

  it('turns itself off for a token that may not watch a kind cluster-wide, so checks read per namespace', async () => {
    const v = await startView({
      rules: documentedReaderRules().map(rule =>
        rule.resources?.includes('pods')
          ? { ...rule, namespaces: [ACME.namespace] }
          : rule,
      ),
    });
    expect(v.forbidden).toMatch(/pods/);
  });

  it('still serves the workloads to a token without NetworkPolicies, and says what to grant', async () => {
    const v = await startView({
      rules: documentedReaderRules().filter(
        rule => !rule.resources?.includes('networkpolicies'),
      ),
    });
    expect(v.forbidden).toBeUndefined();
    const { objects } = v.objectsIn(ACME.namespace);
    expect(objects.deployments.length).toBeGreaterThan(0);
    expect(objects.isolationError).toMatch(
      /may not list networkpolicies cluster-wide \(grant list\/watch of networkpolicies/,
    );
  });
});
