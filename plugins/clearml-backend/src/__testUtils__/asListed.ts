import { KubeObject } from '@internal/clearml-test-utils';
import { NamespaceObjects } from '../kubernetes/objects';

/** The objects grouped as one round of list calls returns them, for the pure diagnosis. */
export function asListed(
  objects: KubeObject[],
  namespaces: string[],
): Map<string, NamespaceObjects> {
  const of = (ns: string, kind: string) =>
    objects.filter(
      o => o.kind === kind && o.metadata.namespace === ns,
    ) as any[];
  return new Map(
    namespaces.map(ns => [
      ns,
      {
        namespace: ns,
        deployments: of(ns, 'Deployment'),
        statefulSets: of(ns, 'StatefulSet'),
        pods: of(ns, 'Pod'),
        // As readEvents selects them: Warnings, and a claim's events of every type.
        events: of(ns, 'Event').filter(
          e =>
            e.type === 'Warning' ||
            e.involvedObject?.kind === 'PersistentVolumeClaim',
        ),
        routes: of(ns, 'Route'),
        networkPolicies: of(ns, 'NetworkPolicy'),
        resourceQuotas: of(ns, 'ResourceQuota'),
      },
    ]),
  );
}
