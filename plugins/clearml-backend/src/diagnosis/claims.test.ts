/**
 * A claim that does not bind, read over HTTP as the health check reads it:
 * the not-ready pod's claims become event sources, and their events are
 * selected without `type=Warning` (the PersistentVolume controller reports
 * "no storage class is set" as a Normal event), from a Kubernetes API double
 * holding the objects a real cluster would.
 */
import {
  ACME,
  apply,
  claimPending,
  healthyTenantObjects,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import { createKubernetesClients } from '@clearml-openshift/plugin-clearml-node';
import { tenantComponents } from '../target/components';
import { readEvents, readNamespaceObjects } from '../kubernetes/readNamespace';
import { diagnoseComponents } from './diagnose';
import { eventSources } from './eventSources';

describe('claims that do not bind, over HTTP', () => {
  let double: KubernetesApiDouble;
  afterEach(() => double?.close());

  it("reads the claim's FailedBinding event and names the missing StorageClass", async () => {
    double = await KubernetesApiDouble.start({
      objects: apply(
        healthyTenantObjects(ACME),
        claimPending('clearml-redis-master', 'redis-data'),
      ),
    });
    const cluster = {
      name: 'ocp',
      url: double.url,
      serviceAccountToken: 'double-admin-token',
      skipTLSVerify: true,
      source: 'test',
    } as any;
    const clients = createKubernetesClients(cluster, 'read');
    const target = {
      cluster: 'ocp',
      namespace: ACME.namespace,
      release: ACME.release,
      edition: ACME.edition,
    };
    const specs = tenantComponents(target);
    const listed = await readNamespaceObjects(clients, cluster, ACME.namespace);
    const objects = new Map([
      [ACME.namespace, { ...listed, events: [] as any[] }],
    ]);
    const sources = eventSources(specs, objects);
    expect(sources).toContainEqual({
      namespace: ACME.namespace,
      kind: 'PersistentVolumeClaim',
      name: 'redis-data-clearml-redis-master-0',
    });
    for (const [ns, events] of await readEvents(clients, cluster, sources))
      objects.get(ns)!.events.push(...events);
    const redis = diagnoseComponents(specs, target, objects).find(
      c => c.id === 'redis',
    )!;
    expect(redis.problems[0]).toMatchObject({
      reason: 'ClaimPending',
      message:
        'PersistentVolumeClaim redis-data-clearml-redis-master-0 is Pending: no persistent volumes available for this claim and no storage class is set',
    });
    expect(
      double.requests
        .filter(r => r.path.endsWith('/events'))
        .map(r => r.query.fieldSelector),
    ).toContain(
      'involvedObject.kind=PersistentVolumeClaim,involvedObject.name=redis-data-clearml-redis-master-0',
    );
  });
});
