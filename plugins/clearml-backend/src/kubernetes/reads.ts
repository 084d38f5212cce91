/**
 * What the health check reads from a cluster: per kind, one list per label
 * selector of clearml-common's `tenantObjectSelectors` (the labels the charts
 * really set), in one namespace or cluster-wide. Task pods and everything else
 * in the namespace match none of them.
 */
import type { KubernetesClients } from '@clearml-openshift/plugin-clearml-node';
import {
  TENANT_OBJECT_KINDS,
  TENANT_OWNER_LABEL,
  TenantObjectKind,
  tenantObjectSelectors,
} from '@clearml-openshift/plugin-clearml-common';

export interface ObjectRead {
  /** Stable while the selector's names change (`pods#0`): an informer keeps its slot. */
  id: string;
  kind: TenantObjectKind | 'applications' | 'namespaces';
  labelSelector: string;
  /** Read in this namespace only (Argo CD's), whatever namespace is asked about. */
  namespace?: string;
}

/** The tenants' Namespaces: the ones labelled with the tenant that owns them (what the namespace guard checks). */
export const NAMESPACES_READ: ObjectRead = {
  id: 'namespaces',
  kind: 'namespaces',
  labelSelector: TENANT_OWNER_LABEL,
};

/** The Argo CD Applications of every tenant: labelled with the tenant that owns them, in Argo CD's namespace. */
export function applicationsRead(argocdNamespace: string): ObjectRead {
  return {
    id: 'applications',
    kind: 'applications',
    labelSelector: TENANT_OWNER_LABEL,
    namespace: argocdNamespace,
  };
}

/** The kinds that tell a tenant's isolation: a cluster or token without them still has its workloads read. */
export const ISOLATION_KINDS: ReadonlyArray<ObjectRead['kind']> = [
  'networkpolicies',
  'resourcequotas',
];

/** Every (kind, selector) pair for tenants with these workload names: lists per namespace, or informers per cluster. */
export function tenantReads(names: Iterable<string>): ObjectRead[] {
  const selectors = tenantObjectSelectors(names);
  return TENANT_OBJECT_KINDS.flatMap(kind =>
    selectors[kind].map((labelSelector, i) => ({
      id: `${kind}#${i}`,
      kind,
      labelSelector,
    })),
  );
}

export interface ListResult {
  items: any[];
  metadata?: { resourceVersion?: string };
}

/** The API path of a kind (the watch path of an informer). */
export function readPath(kind: ObjectRead['kind'], namespace?: string): string {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  switch (kind) {
    case 'pods':
      return `/api/v1${ns}/pods`;
    case 'deployments':
    case 'statefulsets':
      return `/apis/apps/v1${ns}/${kind}`;
    case 'applications':
      return `/apis/argoproj.io/v1alpha1${ns}/applications`;
    case 'namespaces':
      return '/api/v1/namespaces';
    case 'networkpolicies':
      return `/apis/networking.k8s.io/v1${ns}/networkpolicies`;
    case 'resourcequotas':
      return `/api/v1${ns}/resourcequotas`;
    default:
      return `/apis/route.openshift.io/v1${ns}/routes`;
  }
}

/** One list call: in a namespace, or in all namespaces when `namespace` is undefined. */
export async function listRead(
  clients: KubernetesClients,
  read: ObjectRead,
  namespace?: string,
): Promise<ListResult> {
  const { labelSelector } = read;
  switch (read.kind) {
    case 'pods':
      return namespace
        ? clients.core.listNamespacedPod({ namespace, labelSelector })
        : clients.core.listPodForAllNamespaces({ labelSelector });
    case 'deployments':
      return namespace
        ? clients.apps.listNamespacedDeployment({ namespace, labelSelector })
        : clients.apps.listDeploymentForAllNamespaces({ labelSelector });
    case 'statefulsets':
      return namespace
        ? clients.apps.listNamespacedStatefulSet({ namespace, labelSelector })
        : clients.apps.listStatefulSetForAllNamespaces({ labelSelector });
    case 'namespaces':
      return clients.core.listNamespace({ labelSelector });
    case 'resourcequotas':
      return namespace
        ? clients.core.listNamespacedResourceQuota({ namespace, labelSelector })
        : clients.core.listResourceQuotaForAllNamespaces({ labelSelector });
    case 'networkpolicies': {
      // Untyped, as the API spells it: client-node's model renames `from` to `_from`.
      const policies = {
        group: 'networking.k8s.io',
        version: 'v1',
        plural: 'networkpolicies',
        labelSelector,
      };
      return (
        namespace
          ? clients.customObjects.listNamespacedCustomObject({
              ...policies,
              namespace,
            })
          : clients.customObjects.listClusterCustomObject(policies)
      ) as Promise<ListResult>;
    }
    case 'applications':
      return (
        namespace
          ? clients.customObjects.listNamespacedCustomObject({
              group: 'argoproj.io',
              version: 'v1alpha1',
              plural: 'applications',
              namespace,
              labelSelector,
            })
          : clients.customObjects.listClusterCustomObject({
              group: 'argoproj.io',
              version: 'v1alpha1',
              plural: 'applications',
              labelSelector,
            })
      ) as Promise<ListResult>;
    default: {
      const route = {
        group: 'route.openshift.io',
        version: 'v1',
        plural: 'routes',
        labelSelector,
      };
      return (
        namespace
          ? clients.customObjects.listNamespacedCustomObject({
              ...route,
              namespace,
            })
          : clients.customObjects.listClusterCustomObject(route)
      ) as Promise<ListResult>;
    }
  }
}
