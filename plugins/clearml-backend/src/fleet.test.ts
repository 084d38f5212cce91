/**
 * `GET /api/clearml/v1/tenants`: the fleet, read from the catalog with the
 * caller's credentials, filtered per entity by the permission policy, each
 * tenant checked from the cluster's shared view.
 */
import { anchored, ANCHOR_REPOSITORIES } from './__testUtils__/anchor';
import { AddressInfo } from 'node:net';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FleetResponse,
  TENANT_OWNER_LABEL,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ACME,
  FixtureTenant,
  KubeObject,
  KubernetesApiDouble,
  apply,
  healthyTenantObjects,
  podsRefused,
  replicaSetSccRefusal,
} from '@internal/clearml-test-utils';
import clearmlPlugin from './index';
import { tenantEntity } from './__testUtils__/tenantEntity';

// Backends, doubles and informers start in beforeAll; on a loaded machine that takes more than jest's 5 s.
jest.setTimeout(60_000);

const READ_TOKEN = 'fleet-read-token';
const ALICE = 'user:default/alice';
const OUTSIDER = 'user:default/outsider';
const TENANTS = 12;

const tenantOf = (i: number): FixtureTenant => ({
  ...ACME,
  namespace: `clearml-f${i}`,
  domain: `f${i}.example.com`,
});

function entity(
  name: string,
  t: FixtureTenant,
  extra: Partial<Entity['metadata']> = {},
  owner = 'group:default/ml-platform',
): Entity {
  return tenantEntity(name, 'ocp', t, extra, owner);
}

const entities: Entity[] = [
  ...Array.from({ length: TENANTS }, (_, i) =>
    entity(
      `f${i}`,
      tenantOf(i),
      {},
      i === 3 ? 'group:default/vision' : 'group:default/ml-platform',
    ),
  ),
  entity('hidden', tenantOf(0), { labels: { visibility: 'private' } }),
  entity('denied', tenantOf(0)),
  anchored({
    ...entity('broken', tenantOf(0)),
    metadata: {
      name: 'broken',
      namespace: 'default',
      annotations: { 'clear.ml/cluster': 'ocp' },
    },
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'db', namespace: 'default' },
    spec: { type: 'database', owner: 'x' },
  },
];

describe('GET /api/clearml/v1/tenants', () => {
  let kube: KubernetesApiDouble;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const blocked = healthyTenantObjects(tenantOf(1));
    const rs = blocked.find(
      o => o.kind === 'Pod' && o.metadata.name.startsWith('clearml-webserver-'),
    )!.metadata.ownerReferences[0].name;
    kube = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: [
            {
              verbs: ['get', 'list', 'watch'],
              apiGroups: ['*'],
              resources: ['*'],
            },
          ],
        },
      ],
      objects: [
        ...Array.from({ length: TENANTS }, (_, i): KubeObject => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: tenantOf(i).namespace,
            labels: { [TENANT_OWNER_LABEL]: `f${i}` },
          },
        })),
        ...healthyTenantObjects(tenantOf(0)),
        ...apply(
          blocked,
          podsRefused(
            'Deployment',
            'clearml-webserver',
            replicaSetSccRefusal(rs),
          ),
        ),
        ...Array.from({ length: TENANTS - 2 }, (_, i) =>
          healthyTenantObjects(tenantOf(i + 2)),
        ).flat(),
        // f3's server Application, synced at an older chart than configured.
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: {
            name: 'clearml-f3-server',
            namespace: 'openshift-gitops',
            labels: { [TENANT_OWNER_LABEL]: 'f3' },
          },
          spec: { sources: [{ chart: 'clearml', targetRevision: '7.14.1' }] },
          status: {
            sync: { status: 'Synced', revisions: ['7.14.1'] },
            health: { status: 'Healthy' },
          },
        },
      ] as any,
    });
    const all = catalogServiceMock({ entities });
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
              ],
              health: { cacheSeconds: 15, probeEndpoints: false },
            },
          },
        }),
        // The catalog under a permission policy: outsiders do not see private entities.
        catalogServiceMock.mock({
          getEntities: async (request, options) => {
            const who = (options as { credentials?: BackstageCredentials })
              ?.credentials?.principal as { userEntityRef?: string };
            const response = await all.getEntities(request);
            return {
              items: response.items.filter(
                e =>
                  !(
                    e.metadata.labels?.visibility === 'private' &&
                    who?.userEntityRef === OUTSIDER
                  ),
              ),
            };
          },
        }).factory,
        // The permission policy: nobody may read the health of `denied`.
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () =>
            ({
              authorize: async (requests: Array<{ resourceRef?: string }>) =>
                requests.map(r => ({
                  result:
                    r.resourceRef === 'resource:default/denied'
                      ? AuthorizeResult.DENY
                      : AuthorizeResult.ALLOW,
                })),
              authorizeConditional: async (requests: unknown[]) =>
                requests.map(() => ({ result: AuthorizeResult.ALLOW })),
            }) as any,
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await kube?.close();
  });

  async function fleet(as: string | null = ALICE) {
    const res = await fetch(`${baseUrl}/api/clearml/v1/tenants`, {
      headers: {
        authorization:
          as === null
            ? mockCredentials.none.header()
            : mockCredentials.user.header(as),
      },
    });
    return { status: res.status, body: (await res.json()) as FleetResponse };
  }

  it('lists every tenant the caller may see and read, with cluster, owner, edition, stage and status', async () => {
    kube.clearRequests();
    const { status, body } = await fleet();
    expect(status).toBe(200);
    const refs = body.items.map(t => t.entityRef);
    expect(refs).toContain('resource:default/hidden');
    expect(refs).not.toContain('resource:default/denied');
    expect(refs).not.toContain('resource:default/db');
    expect(body.items).toHaveLength(TENANTS + 2);
    const f1 = body.items.find(t => t.entityRef === 'resource:default/f1')!;
    expect(f1).toMatchObject({
      title: 'f1',
      cluster: 'ocp',
      namespace: 'clearml-f1',
      edition: 'oss',
      owner: 'group:default/ml-platform',
      status: 'down',
    });
    expect(
      body.items.find(t => t.entityRef === 'resource:default/f3'),
    ).toMatchObject({
      owner: 'group:default/vision',
      status: 'healthy',
      stage: 'rollout',
      charts: [
        {
          chart: 'clearml',
          deployed: '7.14.1',
          configured: '7.14.4',
          drift: true,
        },
      ],
    });
    const broken = body.items.find(
      t => t.entityRef === 'resource:default/broken',
    )!;
    expect(broken.status).toBe('unknown');
    expect(broken.error).toContain('missing clear.ml/namespace');
    // The whole fleet on one cluster: one list per informer (8, namespaces included), the events of the one blocked
    // workload, and the namespace ownership checks of the first requests (before the view was up).
    const lists = kube.requests.filter(
      r => r.verb === 'list' && !r.path.endsWith('/events'),
    );
    // One list per (kind, selector): workloads, Routes, NetworkPolicies, ResourceQuotas, Namespaces, Applications.
    expect(lists.length).toBeLessThanOrEqual(10);
    expect(kube.requests.filter(r => r.path.endsWith('/events'))).toHaveLength(
      1,
    );
  });

  it('sweeps again from the cluster view: no list, no namespace read', async () => {
    kube.clearRequests();
    // The report cache (15 s) answers most; what is checked again reads the view only.
    const { body } = await fleet();
    expect(body.items).toHaveLength(TENANTS + 2);
    expect(
      kube.requests.filter(
        r => r.verb === 'list' && !r.path.endsWith('/events'),
      ),
    ).toHaveLength(0);
  });

  it("reads the catalog with the caller's credentials: an outsider does not see private tenants", async () => {
    const { body } = await fleet(OUTSIDER);
    expect(body.items.map(t => t.entityRef)).not.toContain(
      'resource:default/hidden',
    );
  });

  it('answers 401 without credentials', async () => {
    expect((await fleet(null)).status).toBe(401);
  });
});
