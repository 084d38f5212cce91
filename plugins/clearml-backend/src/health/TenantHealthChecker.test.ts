/**
 * The checker on its own: clearml-node's production Kubernetes clients and
 * the view's production stream against the Kubernetes API double (the token
 * with exactly the documented ClusterRole), Backstage's memory cache.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  TENANT_OWNER_LABEL,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  buildKubeConfig,
  kubernetesClientFactory,
} from '@clearml-openshift/plugin-clearml-node';
import {
  ACME,
  KubernetesApiDouble,
  closedPortUrl,
  healthyTenantObjects,
} from '@internal/clearml-test-utils';
import { ClusterViews } from '../kubernetes/ClusterViews';
import { kubeConfigStream } from '../kubernetes/clusterStream';
import { HealthTarget } from '../target/healthTarget';
import { TenantHealthChecker } from './TenantHealthChecker';
import { documentedReaderRules } from '../__testUtils__/readerRules';

jest.setTimeout(60_000);

const TOKEN = 'checker-read-token';
const ARGOCD = 'openshift-gitops';

const TARGET: HealthTarget = {
  cluster: 'ocp',
  namespace: ACME.namespace,
  release: ACME.release,
  edition: ACME.edition,
  tenant: 'acme',
};

describe('TenantHealthChecker', () => {
  let kube: KubernetesApiDouble;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    kube = await KubernetesApiDouble.start({
      tokens: [
        { name: 'health-reader', token: TOKEN, rules: documentedReaderRules() },
      ],
      objects: [
        ...healthyTenantObjects(ACME),
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: {
            name: 'clearml-acme',
            namespace: ARGOCD,
            labels: { [TENANT_OWNER_LABEL]: 'acme' },
          },
          status: {
            sync: { status: 'Synced' },
            health: { status: 'Healthy' },
          },
        },
      ] as any,
    });
  });

  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  afterAll(() => kube?.close());

  function checker(
    options: {
      view?: boolean;
      cacheSeconds?: number;
      cluster?: Partial<ClearmlCluster>;
      lifecycle?: boolean;
    } = {},
  ): TenantHealthChecker {
    const cluster = {
      name: 'ocp',
      url: kube.url,
      serviceAccountToken: TOKEN,
      skipTLSVerify: true,
      ...options.cluster,
    } as ClearmlCluster;
    const logger = mockServices.logger.mock();
    let views: ClusterViews | undefined;
    if (options.view) {
      const created = new ClusterViews({
        stream: (c, timeoutMs) =>
          kubeConfigStream(buildKubeConfig(c, 'read'), timeoutMs),
        watchSeconds: 30,
        staleSeconds: 60,
        logger,
        argocdNamespace: ARGOCD,
      });
      stops.push(() => created.stop());
      views = created;
    }
    return new TenantHealthChecker({
      clusters: [cluster],
      clientFactory: kubernetesClientFactory(),
      cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin('clearml'),
      cacheSeconds: options.cacheSeconds ?? 0,
      logger,
      now: () => new Date('2026-01-02T03:04:05Z'),
      ...(views ? { views } : {}),
      ...(options.lifecycle
        ? {
            lifecycle: {
              pullRequests: {
                integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
                localTargets: [],
                github: () => {
                  throw new Error(
                    'no pull request is read without a GitOps repository',
                  );
                },
              },
              argocdNamespace: ARGOCD,
            },
          }
        : {}),
    });
  }

  const statuses = (health: TenantHealth) =>
    Object.fromEntries(health.components.map(c => [c.id, c.status]));

  it('reports a healthy tenant from the shared view, with its isolation, and reads nothing more once the view has listed', async () => {
    const c = checker({ view: true });
    const first = await c.check('resource:default/acme', TARGET);
    expect(first).toMatchObject({
      entityRef: 'resource:default/acme',
      cluster: 'ocp',
      namespace: ACME.namespace,
      checkedAt: '2026-01-02T03:04:05.000Z',
      status: 'healthy',
    });
    expect(first.stale).toBeUndefined();
    expect(first.isolation).toBeDefined();
    expect(Object.values(statuses(first)).every(s => s === 'healthy')).toBe(
      true,
    );

    kube.clearRequests();
    const again = await c.check('resource:default/acme', TARGET);
    expect(again.status).toBe('healthy');
    // A settled tenant has no events to read; its objects come from the view.
    expect(kube.requests.filter(r => r.verb !== 'watch')).toEqual([]);
  });

  it('reports the same from per-namespace selected lists when the view is off, reading only the tenant namespace', async () => {
    const withView = await checker({ view: true }).check('a', TARGET);
    kube.clearRequests();
    const lists = await checker().check('a', TARGET);
    expect(statuses(lists)).toEqual(statuses(withView));
    expect(lists.status).toBe('healthy');
    const reads = kube.requests.filter(r => r.verb === 'list');
    expect(reads.length).toBeGreaterThan(0);
    expect(
      reads.every(r => r.path.includes(`/namespaces/${ACME.namespace}/`)),
    ).toBe(true);
  });

  it('keeps a report for cacheSeconds, and concurrent checks of one tenant share one check', async () => {
    const c = checker({ cacheSeconds: 60 });
    kube.clearRequests();
    const reports = await Promise.all(
      ['resource:default/acme', 'resource:default/acme-copy', 'x'].map(ref =>
        c.check(ref, TARGET),
      ),
    );
    expect(reports.map(r => r.entityRef)).toEqual([
      'resource:default/acme',
      'resource:default/acme-copy',
      'x',
    ]);
    expect(new Set(reports.map(r => r.status))).toEqual(new Set(['healthy']));
    const oneCheck = kube.requests.length;
    const single = checker();
    kube.clearRequests();
    await single.check('y', TARGET);
    expect(oneCheck).toBe(kube.requests.length);

    kube.clearRequests();
    expect((await c.check('z', TARGET)).status).toBe('healthy');
    expect(kube.requests).toEqual([]);
  });

  it('reports every component unknown, with the fix, when the token is refused', async () => {
    const report = await checker({
      cluster: { serviceAccountToken: 'not-a-known-token' },
    }).check('a', TARGET);
    expect(report.status).toBe('unknown');
    expect(report.components.length).toBeGreaterThan(0);
    for (const component of report.components) {
      expect(component.status).toBe('unknown');
      expect(component.problems).toEqual([
        expect.objectContaining({
          reason: 'ClusterUnauthorized',
          message: expect.stringMatching(
            /^The health check's read-only token was refused: /,
          ),
          hint: expect.stringContaining('serviceAccountToken'),
        }),
      ]);
    }
  });

  it('reports a cluster that does not answer, and one that is not configured, as unreachable with what to check', async () => {
    const dead = await checker({
      cluster: { url: await closedPortUrl() },
    }).check('a', TARGET);
    expect(dead.components[0].problems[0]).toMatchObject({
      reason: 'ClusterUnreachable',
      hint: expect.stringMatching(/API server URL.*CA/),
    });

    const unknownCluster = await checker().check('a', {
      ...TARGET,
      cluster: 'elsewhere',
    });
    expect(unknownCluster.status).toBe('unknown');
    expect(unknownCluster.components[0].problems[0]).toMatchObject({
      reason: 'ClusterUnreachable',
      message:
        "The tenant's state is unknown: Cluster 'elsewhere' is not configured",
    });
  });

  it("follows the tenant's Argo CD Applications from the view, or with one labelled list in Argo CD's namespace", async () => {
    const sync = (health: TenantHealth) =>
      health.lifecycle?.stages.find(s => s.id === 'sync');

    const fromView = await checker({ view: true, lifecycle: true }).check(
      'a',
      TARGET,
    );
    expect(sync(fromView)).toMatchObject({
      state: 'done',
      summary: 'clearml-acme: Synced, Healthy',
    });

    kube.clearRequests();
    const fromList = await checker({ lifecycle: true }).check('a', TARGET);
    expect(sync(fromList)).toEqual(sync(fromView));
    expect(
      kube.requests
        .filter(r => r.verb === 'list' && r.path.includes('/applications'))
        .map(r => [r.path, r.query.labelSelector]),
    ).toEqual([
      [
        `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD}/applications`,
        `${TENANT_OWNER_LABEL}=acme`,
      ],
    ]);
  });
});
