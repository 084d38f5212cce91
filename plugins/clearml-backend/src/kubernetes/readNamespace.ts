/**
 * One round of list calls per namespace: Deployments, StatefulSets, Pods,
 * Warning Events and Routes, whatever the number of components (5 calls).
 * Events carry `involvedObject`, so ReplicaSets need not be listed.
 */
import {
  ClearmlCluster,
  KubernetesClients,
  KubernetesFailure,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import { NamespaceObjects, OpenShiftRoute } from './objects';

/** The cluster could not be read (connection, timeout, TLS, 401/403 on a core kind, 5xx). */
export class ClusterReadError extends Error {
  name = 'ClusterReadError';
  constructor(readonly failure: KubernetesFailure) {
    super(failure.message);
  }
}

async function listRoutes(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
): Promise<{ routes: OpenShiftRoute[]; error?: string }> {
  try {
    const list = (await clients.customObjects.listNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      namespace,
      plural: 'routes',
    })) as { items?: OpenShiftRoute[] };
    return { routes: list.items ?? [] };
  } catch (error) {
    const failure = describeKubernetesError(error, cluster, { timeoutMs: clients.timeoutMs });
    // 404: no Route API (not OpenShift); 403: the token may not read Routes. The workloads still tell a lot.
    if (failure.httpStatus === 404) return { routes: [], error: `The cluster does not serve route.openshift.io/v1 Routes: ${failure.message}` };
    if (failure.httpStatus === 403) return { routes: [], error: `The read-only token may not list Routes in ${namespace}: ${failure.message}` };
    throw error;
  }
}

export async function readNamespaceObjects(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
): Promise<NamespaceObjects> {
  try {
    const [deployments, statefulSets, pods, events, routes] = await Promise.all([
      clients.apps.listNamespacedDeployment({ namespace }),
      clients.apps.listNamespacedStatefulSet({ namespace }),
      clients.core.listNamespacedPod({ namespace }),
      clients.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
      listRoutes(clients, cluster, namespace),
    ]);
    return {
      namespace,
      deployments: deployments.items,
      statefulSets: statefulSets.items,
      pods: pods.items,
      events: events.items,
      routes: routes.routes,
      ...(routes.error ? { routesError: routes.error } : {}),
    };
  } catch (error) {
    throw new ClusterReadError(describeKubernetesError(error, cluster, { timeoutMs: clients.timeoutMs }));
  }
}
