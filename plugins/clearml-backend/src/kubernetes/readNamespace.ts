/**
 * One round of list calls per namespace: Deployments, StatefulSets, Pods,
 * Warning Events and Routes, whatever the number of components (5 calls).
 * Events carry `involvedObject`, so ReplicaSets need not be listed.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { NamespaceObjects, OpenShiftRoute } from './objects';

/** The cluster could not be read (connection, TLS, 401/403 on a core kind, 5xx). */
export class ClusterReadError extends Error {
  name = 'ClusterReadError';
  constructor(message: string, readonly statusCode?: number) {
    super(message);
  }
}

/** The API server's own words (`metav1.Status.message`) when it answered, else the transport error. */
export function describeKubernetesError(error: unknown): { statusCode?: number; message: string } {
  const e = error as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string; message?: string } };
  if (typeof e?.code === 'number') {
    let message = '';
    try {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      message = typeof body?.message === 'string' ? body.message : '';
    } catch {
      message = '';
    }
    return { statusCode: e.code, message: message || `HTTP ${e.code}` };
  }
  const cause = e?.cause?.code ?? e?.cause?.message;
  const text = e?.message ?? String(error);
  return { message: cause && !text.includes(cause) ? `${text} (${cause})` : text };
}

async function listRoutes(custom: CustomObjectsApi, namespace: string): Promise<{ routes: OpenShiftRoute[]; error?: string }> {
  try {
    const list = (await custom.listNamespacedCustomObject({ group: 'route.openshift.io', version: 'v1', namespace, plural: 'routes' })) as {
      items?: OpenShiftRoute[];
    };
    return { routes: list.items ?? [] };
  } catch (error) {
    const { statusCode, message } = describeKubernetesError(error);
    // 404: no Route API (not OpenShift); 403: the token may not read Routes. The workloads still tell a lot.
    if (statusCode === 404) return { routes: [], error: `the cluster does not serve route.openshift.io/v1 Routes (${message})` };
    if (statusCode === 403) return { routes: [], error: `the read-only token may not list Routes in ${namespace}: ${message}` };
    throw error;
  }
}

export async function readNamespaceObjects(kubeConfig: KubeConfig, namespace: string): Promise<NamespaceObjects> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    const [deployments, statefulSets, pods, events, routes] = await Promise.all([
      apps.listNamespacedDeployment({ namespace }),
      apps.listNamespacedStatefulSet({ namespace }),
      core.listNamespacedPod({ namespace }),
      core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
      listRoutes(custom, namespace),
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
    const { statusCode, message } = describeKubernetesError(error);
    throw new ClusterReadError(message, statusCode);
  }
}
