/**
 * "Check this entity" on its own: Backstage's in-memory catalog and
 * permission mocks, the real namespace guard and checker with clearml-node's
 * clients against the Kubernetes API double. What cannot be checked is
 * refused before anything of the tenant is read.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TENANT_OWNER_LABEL } from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  kubernetesClientFactory,
  readTenantAnchorSources,
} from '@clearml-openshift/plugin-clearml-node';
import {
  ACME,
  KubernetesApiDouble,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import { ANCHOR_REPOSITORIES } from '../__testUtils__/anchor';
import { tenantEntity, tenantResource } from '../__testUtils__/tenantEntity';
import { documentedReaderRules } from '../__testUtils__/readerRules';
import { TenantAnnotationsError } from './target';
import { TenantEntityHealth } from './TenantEntityHealth';
import { TenantHealthChecker } from './TenantHealthChecker';
import { createTenantNamespaceGuard } from './tenantNamespaceGuard';

jest.setTimeout(60_000);

const TOKEN = 'entity-health-read-token';
const config = new ConfigReader({
  clearml: { gitops: { repositories: ANCHOR_REPOSITORIES } },
});

const ENTITIES: Entity[] = [
  tenantEntity('acme', 'ocp', ACME),
  // Claims acme's namespace, but it is labelled for acme.
  tenantEntity('beta', 'ocp', ACME),
  tenantEntity('stray', 'elsewhere', ACME),
  // Same annotations, registered from nowhere the product registers tenants: not a tenant.
  tenantResource('lookalike', 'ocp', ACME),
];

describe('TenantEntityHealth', () => {
  let kube: KubernetesApiDouble;

  beforeAll(async () => {
    kube = await KubernetesApiDouble.start({
      tokens: [
        { name: 'health-reader', token: TOKEN, rules: documentedReaderRules() },
      ],
      objects: healthyTenantObjects(ACME) as any,
    });
  });
  afterAll(() => kube?.close());
  beforeEach(() => kube.clearRequests());

  function service(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const clusters = [
      {
        name: 'ocp',
        url: kube.url,
        serviceAccountToken: TOKEN,
        skipTLSVerify: true,
      } as ClearmlCluster,
    ];
    const clientFactory = kubernetesClientFactory();
    return new TenantEntityHealth({
      catalog: catalogServiceMock({ entities: ENTITIES }),
      permissions: mockServices.permissions({ result }),
      clusters,
      checker: new TenantHealthChecker({
        clusters,
        clientFactory,
        cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin(
          'clearml',
        ),
        cacheSeconds: 0,
        logger: mockServices.logger.mock(),
      }),
      namespaceGuard: createTenantNamespaceGuard({
        config,
        clientFactory,
        cacheSeconds: 0,
      }),
      anchorSources: async () => readTenantAnchorSources(config, []),
    });
  }
  const credentials = mockCredentials.user();

  it('lists the tenants the caller may read, never a look-alike', async () => {
    const { entities } = await service(AuthorizeResult.ALLOW).readableTenants(
      credentials,
    );
    expect(entities.map(e => e.metadata.name).sort()).toEqual([
      'acme',
      'beta',
      'stray',
    ]);
    const denied = await service(AuthorizeResult.DENY).readableTenants(
      credentials,
    );
    expect(denied.entities).toEqual([]);
  });

  it('reads one entity only when the caller sees it and may read its health', async () => {
    const allowed = service(AuthorizeResult.ALLOW);
    expect(
      (await allowed.readableEntity('resource:default/acme', credentials))
        .metadata.name,
    ).toBe('acme');
    await expect(
      allowed.readableEntity('resource:default/nobody', credentials),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service(AuthorizeResult.DENY).readableEntity(
        'resource:default/acme',
        credentials,
      ),
    ).rejects.toThrow(NotAllowedError);
  });

  it('checks a tenant in its own namespace and names it as asked', async () => {
    const tenants = service(AuthorizeResult.ALLOW);
    const sources = await tenants.anchorSources();
    const health = await tenants.check(
      ENTITIES[0],
      sources,
      'resource:default/ACME',
    );
    expect(health).toMatchObject({
      entityRef: 'resource:default/ACME',
      cluster: 'ocp',
      namespace: ACME.namespace,
      status: 'healthy',
    });
  });

  it.each([
    [
      'a look-alike',
      3,
      /it was not registered from its own file tenants\/lookalike\/catalog-info\.yaml in a configured GitOps repository/,
    ],
    [
      'a cluster that is not configured',
      2,
      /clear\.ml\/cluster names 'elsewhere', which is not a configured cluster/,
    ],
    [
      "another tenant's namespace",
      1,
      `namespace '${ACME.namespace}' belongs to tenant 'acme' (label ${TENANT_OWNER_LABEL}=acme), not to 'beta'`,
    ],
  ])(
    'refuses %s (422) before reading any of its objects',
    async (_, index, why) => {
      const tenants = service(AuthorizeResult.ALLOW);
      const sources = await tenants.anchorSources();
      const refused = tenants.check(ENTITIES[index], sources);
      await expect(refused).rejects.toThrow(TenantAnnotationsError);
      await expect(refused).rejects.toThrow(why);
      // At most the namespace itself was read, to see whose it is.
      expect(
        kube.requests.filter(
          r => !/^\/api\/v1\/namespaces\/[^/]+$/.test(r.path),
        ),
      ).toEqual([]);
    },
  );
});
