/**
 * The shared per-cluster view: client-node informers against the Kubernetes
 * API double's watches, one per (kind, selector), read by every tenant on the
 * cluster. The read token has exactly the documented ClusterRole.
 */
import { anchored, ANCHOR_REPOSITORIES } from './__testUtils__/anchor';
import fs from 'node:fs';
import path from 'node:path';
import net, { AddressInfo } from 'node:net';
import yaml from 'js-yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TENANT_OWNER_LABEL,
  TenantHealth,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ACME,
  FixtureTenant,
  KubeObject,
  KubernetesApiDouble,
  KubernetesPolicyRule,
  apply,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
} from '@internal/clearml-test';
import clearmlPlugin from './index';

// Backends, doubles and informers start in beforeAll; on a loaded machine that takes more than jest's 5 s.
jest.setTimeout(60_000);

const READ_TOKEN = 'shared-view-read-token';

function documentedReaderRules(): KubernetesPolicyRule[] {
  const docs = yaml.loadAll(
    fs.readFileSync(
      path.join(__dirname, '..', 'rbac', 'clearml-health-reader.yaml'),
      'utf8',
    ),
  ) as any[];
  return docs.find(d => d.kind === 'ClusterRole').rules;
}

const tenant = (i: number): FixtureTenant => ({
  ...ACME,
  namespace: `clearml-t${i}`,
  domain: `t${i}.example.com`,
});
const TENANTS = 10;

function entity(name: string, cluster: string, t: FixtureTenant): Entity {
  return anchored({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: tenantEntityAnnotations({
        cluster,
        namespace: t.namespace,
        release: t.release,
        edition: t.edition,
        tenant: name,
      }),
    },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  });
}

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
                  name: 'ocp-lonely',
                  url: lonely.url,
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                  requestTimeoutSeconds: 1,
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
                  requestTimeoutSeconds: 1,
                },
              ],
              health: {
                cacheSeconds: 0,
                probeEndpoints: false,
                sharedView: true,
                watchSeconds: 1,
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            ...Array.from({ length: TENANTS }, (_, i) =>
              entity(`t${i}`, 'ocp', tenant(i)),
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
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/statefulsets',
      '/apis/apps/v1/statefulsets',
      '/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications',
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
    await until(() => kube.openWatches === 8, 'eight watches');

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

  it('sees changes through its watches, and reconnects watches the server ends without listing again', async () => {
    kube.clearRequests();
    kube.endWatches();
    await until(() => kube.openWatches === 8, 'the watches to reconnect');
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

  it('turns the tenants of a cluster that stops answering unknown within the watch renewal and request timeout', async () => {
    expect((await health('lonely')).status).toBe('healthy');
    await lonely.close();
    const stopped = Date.now();
    await until(
      async () => (await health('lonely')).status === 'unknown',
      'unknown',
      5000,
    );
    expect(Date.now() - stopped).toBeLessThan(1000 + 1000 + 1500);
    const report = await health('lonely');
    expect(report.components[0].problems[0]).toMatchObject({
      reason: 'ClusterUnreachable',
    });
  });

  it('turns the tenants of a cluster that goes silent (connections open, no answers) unknown within watchSeconds + timeout', async () => {
    expect((await health('quiet')).status).toBe('healthy');
    quietProxy.silence();
    const silenced = Date.now();
    await until(
      async () => (await health('quiet')).status === 'unknown',
      'unknown',
      10_000,
    );
    // watchSeconds 1 + request timeout 1 s; the view is looked at every second; slack for a loaded machine.
    expect(Date.now() - silenced).toBeLessThan(1000 + 1000 + 1000 + 3000);
    expect((await health('quiet')).components[0].problems[0].message).toMatch(
      /has not answered for \d+s|did not answer/,
    );
  });
});
