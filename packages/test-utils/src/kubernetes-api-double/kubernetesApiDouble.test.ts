import path from 'node:path';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES as READ_ONLY_RULES,
  KUBERNETES_ALL_RULES as ALL_RULES,
} from '.';
import { referencePath } from '../reference';

// The double is driven by the real @kubernetes/client-node over HTTP(S), as the product drives a cluster.

const DEFAULT_SCCS = referencePath('openshift-api', 'default-sccs');

function kubeConfig(
  double: KubernetesApiDouble,
  token: string,
  tls = false,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      tls
        ? {
            name: 'double',
            server: double.url,
            caData: KubernetesApiDouble.caData,
            skipTLSVerify: false,
          }
        : { name: 'double', server: double.url, skipTLSVerify: true },
    ],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'double', cluster: 'double', user: 'user' }],
    currentContext: 'double',
  });
  return kc;
}

async function statusOf(
  promise: Promise<unknown>,
): Promise<{ code: number; reason?: string; message?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body =
      typeof error.body === 'string' && error.body
        ? JSON.parse(error.body)
        : {};
    return { code: error.code, reason: body.reason, message: body.message };
  }
  throw new Error('expected the request to fail');
}

describe('Kubernetes API double', () => {
  let double: KubernetesApiDouble;
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;
  let objects: KubernetesObjectApi;

  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      tokens: [
        { name: 'admin', token: 'admin-secret', rules: ALL_RULES },
        {
          name: 'reader',
          token: 'reader-secret',
          user: 'system:serviceaccount:backstage:reader',
          rules: READ_ONLY_RULES,
        },
      ],
    });
    const kc = kubeConfig(double, 'admin-secret');
    core = kc.makeApiClient(CoreV1Api);
    rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
  });

  afterEach(() => double.close());

  it('creates, reads, lists and deletes with server-owned metadata', async () => {
    const ns = await core.createNamespace({
      body: { metadata: { name: 'team-a', labels: { team: 'a' } } },
    });
    expect(ns.metadata).toMatchObject({
      name: 'team-a',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });
    expect(ns.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(ns.status?.phase).toBe('Active');

    await core.createNamespacedServiceAccount({
      namespace: 'team-a',
      body: { metadata: { name: 'runner' } },
    });
    const list = await core.listNamespacedServiceAccount({
      namespace: 'team-a',
    });
    expect(list.kind).toBe('ServiceAccountList');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(list.items.map(sa => sa.metadata?.name)).toEqual(['runner']);

    await core.deleteNamespacedServiceAccount({
      namespace: 'team-a',
      name: 'runner',
    });
    expect(
      double.get('v1', 'ServiceAccount', 'runner', 'team-a'),
    ).toBeUndefined();
  });

  it('answers with metav1.Status and the real reasons', async () => {
    expect(
      await statusOf(
        core.createNamespacedServiceAccount({
          namespace: 'nowhere',
          body: { metadata: { name: 'sa' } },
        }),
      ),
    ).toEqual({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });

    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    expect(
      await statusOf(
        core.createNamespace({ body: { metadata: { name: 'team-a' } } }),
      ),
    ).toEqual({
      code: 409,
      reason: 'AlreadyExists',
      message: 'namespaces "team-a" already exists',
    });
    expect(
      await statusOf(
        rbac.readNamespacedRoleBinding({
          namespace: 'team-a',
          name: 'missing',
        }),
      ),
    ).toEqual({
      code: 404,
      reason: 'NotFound',
      message: 'rolebindings.rbac.authorization.k8s.io "missing" not found',
    });
  });

  it('refuses a replace with a stale resourceVersion (Conflict) and keeps unchanged objects at their version', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    const sa = await core.createNamespacedServiceAccount({
      namespace: 'team-a',
      body: { metadata: { name: 'runner' } },
    });
    const updated = await core.replaceNamespacedServiceAccount({
      namespace: 'team-a',
      name: 'runner',
      body: { ...sa, metadata: { ...sa.metadata, labels: { a: 'b' } } },
    });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(sa.metadata?.resourceVersion),
    );

    const stale = await statusOf(
      core.replaceNamespacedServiceAccount({
        namespace: 'team-a',
        name: 'runner',
        body: { ...sa, metadata: { ...sa.metadata, labels: { c: 'd' } } },
      }),
    );
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.message).toContain('the object has been modified');

    const again = await core.replaceNamespacedServiceAccount({
      namespace: 'team-a',
      name: 'runner',
      body: updated,
    });
    expect(again.metadata?.resourceVersion).toBe(
      updated.metadata?.resourceVersion,
    );
  });

  it('refuses a StatefulSet update that changes its volumeClaimTemplates, as the API server does; its template may change', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    const objectApi = KubernetesObjectApi.makeApiClient(
      kubeConfig(double, 'admin-secret'),
    );
    const claim = (storage: string) => ({
      metadata: { name: 'data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage } },
      },
    });
    const sts = (storage: string, image: string) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'es', namespace: 'team-a' },
      spec: {
        serviceName: 'es',
        selector: { matchLabels: { app: 'es' } },
        template: {
          metadata: { labels: { app: 'es' } },
          spec: { containers: [{ name: 'es', image }] },
        },
        volumeClaimTemplates: [claim(storage)],
      },
    });
    await objectApi.create(sts('20Gi', 'es:8.1'));
    const image = await objectApi.replace(sts('20Gi', 'es:8.2'));
    expect((image as any).spec.template.spec.containers[0].image).toBe(
      'es:8.2',
    );
    expect(await statusOf(objectApi.replace(sts('50Gi', 'es:8.2')))).toEqual({
      code: 422,
      reason: 'Invalid',
      message:
        'StatefulSet "es" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', ' +
        "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and " +
        "'minReadySeconds' are forbidden",
    });
  });

  it('applies JSON patch, merge patch and server-side apply', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    await rbac.createNamespacedRoleBinding({
      namespace: 'team-a',
      body: {
        metadata: { name: 'b' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'view',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'one', namespace: 'team-a' },
        ],
      },
    });
    const jsonPatched = await rbac.patchNamespacedRoleBinding(
      {
        namespace: 'team-a',
        name: 'b',
        body: [
          {
            op: 'add',
            path: '/subjects/-',
            value: { kind: 'ServiceAccount', name: 'two', namespace: 'team-a' },
          },
        ],
      },
      setHeaderOptions('Content-Type', 'application/json-patch+json'),
    );
    expect(jsonPatched.subjects?.map(s => s.name)).toEqual(['one', 'two']);

    const merged = await rbac.patchNamespacedRoleBinding(
      {
        namespace: 'team-a',
        name: 'b',
        body: { metadata: { labels: { by: 'merge' } } },
      },
      setHeaderOptions('Content-Type', 'application/merge-patch+json'),
    );
    expect(merged.metadata?.labels).toEqual({ by: 'merge' });

    const applied = await objects.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'team-a' },
        data: { a: '1' },
      } as any,
      undefined,
      undefined,
      'clearml-test',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect((applied as any).data).toEqual({ a: '1' });
    expect(double.get('v1', 'ConfigMap', 'settings', 'team-a')?.data).toEqual({
      a: '1',
    });

    expect(
      await statusOf(
        rbac.patchNamespacedRoleBinding(
          {
            namespace: 'team-a',
            name: 'b',
            body: [{ op: 'replace', path: '/roleRef/name', value: 'edit' }],
          },
          setHeaderOptions('Content-Type', 'application/json-patch+json'),
        ),
      ),
    ).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('filters lists by label and field selectors', async () => {
    double.load(`
apiVersion: v1
kind: Pod
metadata: { name: api-1, namespace: t, labels: { app: api, tier: server } }
status: { phase: Running }
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: t, labels: { app: web, tier: server } }
status: { phase: Pending }
---
apiVersion: v1
kind: Pod
metadata: { name: redis-0, namespace: t, labels: { app: redis } }
status: { phase: Running }
`);
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await core.listNamespacedPod({
          namespace: 't',
          labelSelector,
          fieldSelector,
        })
      ).items.map(p => p.metadata?.name);
    expect(await names('tier=server')).toEqual(['api-1', 'web-1']);
    expect(await names('app in (api,redis)')).toEqual(['api-1', 'redis-0']);
    expect(await names('!tier')).toEqual(['redis-0']);
    expect(await names('app!=api,tier')).toEqual(['web-1']);
    expect(await names(undefined, 'status.phase=Running')).toEqual([
      'api-1',
      'redis-0',
    ]);
    expect(await names('tier=server', 'metadata.name!=api-1')).toEqual([
      'web-1',
    ]);
  });

  it('computes but does not store dry-run writes', async () => {
    const ns = await core.createNamespace({
      body: { metadata: { name: 'dry' } },
      dryRun: 'All',
    });
    expect(ns.metadata?.name).toBe('dry');
    expect(double.get('v1', 'Namespace', 'dry')).toBeUndefined();
    expect(double.writeRequests()).toEqual([
      expect.objectContaining({
        method: 'POST',
        dryRun: true,
        query: { dryRun: 'All' },
      }),
    ]);
  });

  it('answers 403 Forbidden as the API server words it, and 401 for an unknown token', async () => {
    const reader = kubeConfig(double, 'reader-secret').makeApiClient(
      RbacAuthorizationV1Api,
    );
    double.load([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    ]);
    expect(
      await reader.listNamespacedRoleBinding({ namespace: 'team-a' }),
    ).toMatchObject({ items: [] });
    expect(
      await statusOf(
        reader.createNamespacedRoleBinding({
          namespace: 'team-a',
          body: {
            metadata: { name: 'x' },
            roleRef: {
              apiGroup: 'rbac.authorization.k8s.io',
              kind: 'ClusterRole',
              name: 'view',
            },
          },
        }),
      ),
    ).toEqual({
      code: 403,
      reason: 'Forbidden',
      message:
        'rolebindings.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:backstage:reader" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "team-a"',
    });
    const stranger = kubeConfig(double, 'not-a-token').makeApiClient(CoreV1Api);
    expect((await statusOf(stranger.listNamespace())).code).toBe(401);
    expect(double.requests.map(r => r.token)).toEqual([
      'reader',
      'reader',
      'unknown',
    ]);
    expect(JSON.stringify(double.requests)).not.toMatch(/secret|not-a-token/);
  });

  it('prevents RBAC escalation: binding a ClusterRole needs bind on it', async () => {
    double.loadFile(
      path.join(
        DEFAULT_SCCS,
        '0000_20_kube-apiserver-operator_00_cr-scc-anyuid.yaml',
      ),
    );
    double.load([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    ]);
    const binding = {
      metadata: { name: 'system:openshift:scc:anyuid' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:openshift:scc:anyuid',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'team-a' }],
    };
    const rolebindingWriter = {
      verbs: ['create', 'get', 'patch'],
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings'],
    };
    double.addToken({
      name: 'no-bind',
      token: 'no-bind-secret',
      rules: [rolebindingWriter],
    });
    double.addToken({
      name: 'granter',
      token: 'granter-secret',
      rules: [
        rolebindingWriter,
        {
          verbs: ['bind'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['system:openshift:scc:anyuid'],
        },
      ],
    });
    const refused = await statusOf(
      kubeConfig(double, 'no-bind-secret')
        .makeApiClient(RbacAuthorizationV1Api)
        .createNamespacedRoleBinding({ namespace: 'team-a', body: binding }),
    );
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(refused.message).toContain(
      'is attempting to grant RBAC permissions not currently held',
    );
    expect(refused.message).toContain(
      'Resources:["securitycontextconstraints"], ResourceNames:["anyuid"], Verbs:["use"]',
    );

    const created = await kubeConfig(double, 'granter-secret')
      .makeApiClient(RbacAuthorizationV1Api)
      .createNamespacedRoleBinding({ namespace: 'team-a', body: binding });
    expect(created.roleRef.name).toBe('system:openshift:scc:anyuid');
  });

  it("answers SelfSubjectAccessReviews from the caller's own rules, storing and writing nothing", async () => {
    double.addToken({
      name: 'granter',
      token: 'granter-secret',
      rules: [
        {
          verbs: ['get', 'create', 'patch'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['rolebindings'],
          namespaces: ['team-a'],
        },
        {
          verbs: ['bind'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['system:openshift:scc:anyuid'],
        },
      ],
    });
    const review = (token: string, resourceAttributes: object) =>
      kubeConfig(double, token)
        .makeApiClient(AuthorizationV1Api)
        .createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes } },
        })
        .then(r => r.status?.allowed);
    const binding = {
      group: 'rbac.authorization.k8s.io',
      resource: 'rolebindings',
    };
    expect(
      await review('granter-secret', {
        ...binding,
        verb: 'create',
        namespace: 'team-a',
      }),
    ).toBe(true);
    expect(
      await review('granter-secret', {
        ...binding,
        verb: 'create',
        namespace: 'team-b',
      }),
    ).toBe(false);
    expect(
      await review('granter-secret', {
        ...binding,
        verb: 'delete',
        namespace: 'team-a',
      }),
    ).toBe(false);
    const bind = {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verb: 'bind',
    };
    expect(
      await review('granter-secret', {
        ...bind,
        name: 'system:openshift:scc:anyuid',
      }),
    ).toBe(true);
    expect(
      await review('granter-secret', {
        ...bind,
        name: 'system:openshift:scc:privileged',
      }),
    ).toBe(false);
    expect(
      await review('reader-secret', {
        resource: 'namespaces',
        verb: 'get',
        name: 'team-a',
      }),
    ).toBe(true);
    expect(
      await review('reader-secret', { resource: 'namespaces', verb: 'create' }),
    ).toBe(false);
    expect(
      (
        await statusOf(
          review('not-a-token', { resource: 'namespaces', verb: 'get' }),
        )
      ).code,
    ).toBe(401);
    expect(double.requests.map(r => [r.verb, r.status])).toContainEqual([
      'create',
      201,
    ]);
    expect(double.writeRequests()).toEqual([]);
  });

  it('serves discovery for KubernetesObjectApi, including OpenShift groups', async () => {
    double.load([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } },
    ]);
    await objects.create({
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'api', namespace: 't' },
      spec: { host: 'api.example.com', to: { kind: 'Service', name: 'api' } },
    } as any);
    const routes = await objects.list('route.openshift.io/v1', 'Route', 't');
    expect(routes.items.map(r => r.metadata?.name)).toEqual(['api']);
    const read = await objects.read({
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'api', namespace: 't' },
    });
    expect((read as any).spec.host).toBe('api.example.com');
    expect(
      double.requests.some(
        r => r.path === '/apis/route.openshift.io/v1' && r.verb === 'discovery',
      ),
    ).toBe(true);
  });

  it('serves HTTPS that a client verifies with caData', async () => {
    const secure = await KubernetesApiDouble.start({ tls: true });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ok = kubeConfig(secure, 'double-admin-token', true).makeApiClient(
        CoreV1Api,
      );
      expect((await ok.listNamespace()).items).toEqual([]);

      const untrusting = new KubeConfig();
      untrusting.loadFromOptions({
        clusters: [{ name: 'c', server: secure.url, skipTLSVerify: false }],
        users: [{ name: 'u', token: 'double-admin-token' }],
        contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
        currentContext: 'c',
      });
      await expect(
        untrusting.makeApiClient(CoreV1Api).listNamespace(),
      ).rejects.toThrow(/self-signed|certificate/);
    } finally {
      await secure.close();
    }
  });

  it('fails the next matching request when told to (5xx from the server)', async () => {
    double.failNext({
      method: 'GET',
      path: '/api/v1/namespaces',
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'etcdserver: leader changed',
    });
    expect(await statusOf(core.listNamespace())).toEqual({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'etcdserver: leader changed',
    });
    expect((await core.listNamespace()).items).toEqual([]);
  });
});
