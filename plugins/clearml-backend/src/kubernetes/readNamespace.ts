/**
 * Reads a tenant's objects with one list per (kind, selector) of TENANT_READS
 * in each of its namespaces (the shared view off or not allowed), and the Warning events of the objects the
 * diagnosis asks about, each with a field selector on `involvedObject`. Task
 * pods and unrelated events are never transferred.
 */
import {
  ClearmlCluster,
  KubernetesClients,
  KubernetesFailure,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import type { CoreV1Event } from '@kubernetes/client-node';
import { EventSource, NamespaceObjects, OpenShiftRoute } from './objects';
import { ISOLATION_KINDS, ObjectRead, TENANT_READS, listRead } from './reads';

/** 403/404 on NetworkPolicies or ResourceQuotas: the workloads are still read; the card says what to grant. */
export function isolationErrorOf(
  failure: KubernetesFailure,
  kind: string,
  where: string,
): string | undefined {
  if (failure.httpStatus === 403 || failure.httpStatus === 404)
    return `The read-only token may not list ${kind} ${where} (grant list/watch of networkpolicies and resourcequotas, plugins/clearml-backend/rbac): ${failure.message}`;
  return undefined;
}

/** The cluster could not be read (connection, timeout, TLS, 401/403 on a core kind, 5xx). */
export class ClusterReadError extends Error {
  name = 'ClusterReadError';
  constructor(readonly failure: KubernetesFailure) {
    super(failure.message);
  }
}

/** Objects of every read, by kind, as `NamespaceObjects` (events empty: they are read per source). */
export function namespaceObjectsFrom(
  namespace: string,
  results: Array<{ read: ObjectRead; items: readonly any[] }>,
  routesError?: string,
  isolationError?: string,
): NamespaceObjects {
  const of = (kind: ObjectRead['kind']) => {
    const byName = new Map<string, any>();
    for (const r of results)
      if (r.read.kind === kind)
        for (const item of r.items) byName.set(item.metadata?.name, item);
    return [...byName.values()];
  };
  return {
    namespace,
    deployments: of('deployments'),
    statefulSets: of('statefulsets'),
    pods: of('pods'),
    events: [],
    routes: of('routes') as OpenShiftRoute[],
    ...(routesError ? { routesError } : {}),
    networkPolicies: of('networkpolicies'),
    resourceQuotas: of('resourcequotas'),
    ...(isolationError ? { isolationError } : {}),
  };
}

/** 404: no Route API (not OpenShift); 403: the token may not read Routes. The workloads still tell a lot. */
export function routesErrorOf(
  failure: KubernetesFailure,
  where: string,
): string | undefined {
  if (failure.httpStatus === 404)
    return `The cluster does not serve route.openshift.io/v1 Routes: ${failure.message}`;
  if (failure.httpStatus === 403)
    return `The read-only token may not list Routes ${where}: ${failure.message}`;
  return undefined;
}

export async function readNamespaceObjects(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
): Promise<NamespaceObjects> {
  let routesError: string | undefined;
  let isolationError: string | undefined;
  try {
    const results = await Promise.all(
      TENANT_READS.map(async read => {
        try {
          return {
            read,
            items: (await listRead(clients, read, namespace)).items ?? [],
          };
        } catch (error) {
          if (ISOLATION_KINDS.includes(read.kind)) {
            isolationError ??= isolationErrorOf(
              describeKubernetesError(error, cluster, {
                timeoutMs: clients.timeoutMs,
              }),
              read.kind,
              `in ${namespace}`,
            );
            if (!isolationError) throw error;
            return { read, items: [] };
          }
          if (read.kind !== 'routes') throw error;
          routesError = routesErrorOf(
            describeKubernetesError(error, cluster, {
              timeoutMs: clients.timeoutMs,
            }),
            `in ${namespace}`,
          );
          if (!routesError) throw error;
          return { read, items: [] };
        }
      }),
    );
    return namespaceObjectsFrom(
      namespace,
      results,
      routesError,
      isolationError,
    );
  } catch (error) {
    throw new ClusterReadError(
      describeKubernetesError(error, cluster, { timeoutMs: clients.timeoutMs }),
    );
  }
}

/**
 * The Warning events of each source: one call each, selected by `involvedObject.kind` and `involvedObject.name`;
 * a claim's events of every type (the PersistentVolume controller reports "no storage class is set" as Normal).
 */
export async function readEvents(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  sources: EventSource[],
): Promise<Map<string, CoreV1Event[]>> {
  const byNamespace = new Map<string, CoreV1Event[]>();
  try {
    await Promise.all(
      sources.map(async source => {
        const list = await clients.core.listNamespacedEvent({
          namespace: source.namespace,
          fieldSelector: `${source.kind === 'PersistentVolumeClaim' ? '' : 'type=Warning,'}involvedObject.kind=${source.kind},involvedObject.name=${source.name}`,
        });
        byNamespace.set(source.namespace, [
          ...(byNamespace.get(source.namespace) ?? []),
          ...list.items,
        ]);
      }),
    );
  } catch (error) {
    throw new ClusterReadError(
      describeKubernetesError(error, cluster, { timeoutMs: clients.timeoutMs }),
    );
  }
  return byNamespace;
}
