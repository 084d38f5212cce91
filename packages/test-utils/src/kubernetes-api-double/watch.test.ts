import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1Pod,
  makeInformer,
} from '@kubernetes/client-node';
import { KubernetesApiDouble } from '.';

// Watches, byte counts and event field selectors, driven by client-node's own informer and clients.

function kubeConfig(double: KubernetesApiDouble): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'double', server: double.url, skipTLSVerify: true }],
    users: [{ name: 'user', token: 'double-admin-token' }],
    contexts: [{ name: 'double', cluster: 'double', user: 'user' }],
    currentContext: 'double',
  });
  return kc;
}

function pod(
  name: string,
  namespace: string,
  labels: Record<string, string> = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('Kubernetes API double: watch', () => {
  let double: KubernetesApiDouble;
  let core: CoreV1Api;
  const stops: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      objects: [
        pod('a-0', 'ns1', { app: 'a' }),
        pod('b-0', 'ns1', { app: 'b' }),
      ],
    });
    core = kubeConfig(double).makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await double.close();
  });

  function informer(labelSelector?: string) {
    const kc = kubeConfig(double);
    const inf = makeInformer<V1Pod>(
      kc,
      '/api/v1/pods',
      () => core.listPodForAllNamespaces({ labelSelector }),
      labelSelector,
    );
    stops.push(() => inf.stop());
    return inf;
  }

  it('lists, then streams the changes of matching objects only (label selector), adds, updates and deletes', async () => {
    const inf = informer('app=a');
    const seen: string[] = [];
    inf.on('add', p => seen.push(`add ${p.metadata!.name}`));
    inf.on('update', p =>
      seen.push(`update ${p.metadata!.name} ${p.metadata!.labels!.v}`),
    );
    inf.on('delete', p => seen.push(`delete ${p.metadata!.name}`));
    await inf.start();
    await until(() => double.openWatches === 1, 'the watch');

    double.load([
      pod('a-1', 'ns2', { app: 'a' }),
      pod('b-1', 'ns2', { app: 'b' }),
    ]);
    double.load([pod('a-0', 'ns1', { app: 'a', v: '2' })]);
    await core.deleteNamespacedPod({ name: 'a-1', namespace: 'ns2' });
    await until(() => seen.includes('delete a-1'), 'the delete event');

    expect(seen.filter(s => s.startsWith('add'))).toEqual([
      'add a-0',
      'add a-1',
    ]);
    expect(seen).toContain('update a-0 2');
    expect(seen).not.toContain('add b-0');
    expect(seen).not.toContain('add b-1');
    expect(inf.list().map(p => p.metadata!.name)).toEqual(['a-0']);
    const watches = double.requests.filter(r => r.verb === 'watch');
    expect(watches).toHaveLength(1);
    expect(watches[0].query).toMatchObject({
      watch: 'true',
      labelSelector: 'app=a',
    });
    expect(watches[0].bytes).toBeGreaterThan(0);
  });

  it('replays the changes made between the list and the watch (resourceVersion)', async () => {
    const list = await core.listPodForAllNamespaces();
    double.load([pod('a-2', 'ns1', { app: 'a' })]);
    const inf = makeInformer<V1Pod>(
      kubeConfig(double),
      '/api/v1/pods',
      async () => list,
    );
    stops.push(() => inf.stop());
    await inf.start();
    await until(
      () => inf.list().some(p => p.metadata!.name === 'a-2'),
      'the replayed add',
    );
    expect(
      inf
        .list()
        .map(p => p.metadata!.name)
        .sort(),
    ).toEqual(['a-0', 'a-2', 'b-0']);
  });

  it('answers a version older than its change log with one 410 Expired event (client-node then lists again)', async () => {
    for (let i = 0; i < 10_001; i++)
      double.load([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `c${i % 5}`, namespace: 'ns1' },
        },
      ]);
    const res = await fetch(
      `${double.url}/api/v1/pods?watch=true&resourceVersion=1`,
      { headers: { authorization: 'Bearer double-admin-token' } },
    );
    const line = JSON.parse((await res.text()).trim());
    expect(line).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('ends a watch after timeoutSeconds and when the server restarts its watches; the informer reconnects', async () => {
    const inf = informer();
    const connects: number[] = [];
    inf.on('connect', () => connects.push(Date.now()));
    await inf.start();
    await until(() => double.openWatches === 1, 'the watch');
    double.endWatches();
    await until(
      () =>
        double.requests.filter(r => r.verb === 'watch').length === 2 &&
        double.openWatches === 1,
      'the reconnect',
    );
    expect(connects.length).toBeGreaterThanOrEqual(2);
    // A reconnect watches from the last version: no second list.
    expect(double.requests.filter(r => r.verb === 'list')).toHaveLength(1);

    const started = Date.now();
    const res = await fetch(
      `${double.url}/api/v1/pods?watch=true&timeoutSeconds=1`,
      { headers: { authorization: 'Bearer double-admin-token' } },
    );
    expect(res.status).toBe(200);
    await res.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  /** The lines of a watch stream until the server ends it. */
  async function streamLines(query: string): Promise<any[]> {
    const res = await fetch(`${double.url}/api/v1/pods?watch=true&${query}`, {
      headers: { authorization: 'Bearer double-admin-token' },
    });
    expect(res.status).toBe(200);
    return (await res.text())
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line));
  }

  it('sends a BOOKMARK with the current version before timeoutSeconds ends a watch that asked for bookmarks, and none otherwise', async () => {
    const from = double.list('v1', 'Pod')[1].metadata!.resourceVersion;
    // A change the watch does not see (another label) moves the cluster's version on.
    double.load([pod('b-0', 'ns1', { app: 'b', v: '2' })]);
    const current = double
      .list('v1', 'Pod', 'ns1')
      .find(p => p.metadata!.name === 'b-0')!.metadata!.resourceVersion;
    const lines = await streamLines(
      `labelSelector=app%3Da&resourceVersion=${from}&timeoutSeconds=1&allowWatchBookmarks=true`,
    );
    expect(lines).toEqual([
      {
        type: 'BOOKMARK',
        object: {
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: { resourceVersion: current },
        },
      },
    ]);
    expect(
      await streamLines(
        `labelSelector=app%3Da&resourceVersion=${current}&timeoutSeconds=1`,
      ),
    ).toEqual([]);
  });

  it('sends DELETED when an object stops matching the selector and ADDED when it starts, as the API server does', async () => {
    const inf = informer('app=a');
    const seen: string[] = [];
    inf.on('add', p => seen.push(`add ${p.metadata!.name}`));
    inf.on('delete', p => seen.push(`delete ${p.metadata!.name}`));
    await inf.start();
    await until(() => double.openWatches === 1, 'the watch');
    double.load([pod('a-0', 'ns1', { app: 'other' })]);
    double.load([pod('b-0', 'ns1', { app: 'a' })]);
    await until(() => seen.length === 3, 'the changes');
    expect(seen).toEqual(['add a-0', 'delete a-0', 'add b-0']);
  });

  it('answers a watch from before a compaction with 410 Expired', async () => {
    const from = double.list('v1', 'Pod')[0].metadata!.resourceVersion;
    double.load([pod('c-0', 'ns1')]);
    double.compact();
    const lines = await streamLines(`resourceVersion=${from}`);
    expect(lines).toEqual([
      expect.objectContaining({
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      }),
    ]);
  });

  it('refuses the next watches only, with Retry-After, as API priority and fairness does (429)', async () => {
    double.failNext({
      watch: true,
      code: 429,
      reason: 'TooManyRequests',
      message: 'Too many requests, please try again later.',
      retryAfterSeconds: 3,
    });
    const list = await fetch(`${double.url}/api/v1/pods`, {
      headers: { authorization: 'Bearer double-admin-token' },
    });
    expect(list.status).toBe(200);
    const refused = await fetch(`${double.url}/api/v1/pods?watch=true`, {
      headers: { authorization: 'Bearer double-admin-token' },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await refused.json()).toMatchObject({
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 3 },
      code: 429,
    });
  });

  it('refuses a watch the token may not make, as a list', async () => {
    double.addToken({
      name: 'lister',
      token: 'lister-token',
      rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
    });
    const res = await fetch(`${double.url}/api/v1/pods?watch=true`, {
      headers: { authorization: 'Bearer lister-token' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      reason: 'Forbidden',
      message: expect.stringContaining('cannot watch resource "pods"'),
    });
  });
});

describe('Kubernetes API double: bytes served, event field selectors, Argo CD Applications', () => {
  let double: KubernetesApiDouble;
  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e1', namespace: 'ns' },
          type: 'Warning',
          reason: 'FailedCreate',
          involvedObject: { kind: 'ReplicaSet', name: 'web-5d8f' },
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e2', namespace: 'ns' },
          type: 'Warning',
          reason: 'BackOff',
          involvedObject: { kind: 'Pod', name: 'task-1' },
        },
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'e3', namespace: 'ns' },
          type: 'Normal',
          reason: 'Scheduled',
          involvedObject: { kind: 'ReplicaSet', name: 'web-5d8f' },
        },
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: {
            name: 'clearml-acme',
            namespace: 'openshift-gitops',
            labels: { 'clear.ml/tenant': 'acme' },
          },
          status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
        },
      ],
    });
  });
  afterEach(() => double.close());

  it('selects events by involvedObject kind and name, and counts the bytes of every answer', async () => {
    const core = kubeConfig(double).makeApiClient(CoreV1Api);
    double.clearRequests();
    const list = await core.listNamespacedEvent({
      namespace: 'ns',
      fieldSelector:
        'type=Warning,involvedObject.kind=ReplicaSet,involvedObject.name=web-5d8f',
    });
    expect(list.items.map(e => e.metadata.name)).toEqual(['e1']);
    const [request] = double.requests;
    expect(request.bytes).toBeGreaterThan(100);
    expect(double.bytesServed()).toBe(request.bytes);
    const all = await fetch(`${double.url}/api/v1/namespaces/ns/events`, {
      headers: { authorization: 'Bearer double-admin-token' },
    });
    expect(double.requests[1].bytes).toBe(Buffer.byteLength(await all.text()));
  });

  it('serves Argo CD Applications (argoproj.io/v1alpha1) with label selectors', async () => {
    const custom = kubeConfig(double).makeApiClient(CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'openshift-gitops',
      plural: 'applications',
      labelSelector: 'clear.ml/tenant=acme',
    })) as { items: Array<{ metadata: { name: string }; status: unknown }> };
    expect(list.items.map(a => a.metadata.name)).toEqual(['clearml-acme']);
    expect(list.items[0].status).toEqual({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
  });
});
