/**
 * What the health check reads from a cluster, declared once per kind: its API
 * path, the label selectors that find tenants' objects whatever their release
 * names (clearml-node's `TENANT_OBJECT_SELECTORS`: the labels the charts
 * really set), and the trimmed form the shared view keeps. The same reads run
 * per namespace (the view off) or cluster-wide (the view's informers). Task
 * pods match none of them.
 *
 * A kind is added by adding it to `READ_KINDS` (path + trim) and its selectors
 * to the reads: the view lists, watches and holds it without further code.
 */
import {
  KubernetesClients,
  TENANT_OBJECT_KINDS,
  TENANT_OBJECT_SELECTORS,
  TenantObjectKind,
} from '@clearml-openshift/plugin-clearml-node';
import { TENANT_OWNER_LABEL } from '@clearml-openshift/plugin-clearml-common';
import {
  trimApplication,
  trimIsolation,
  trimNamespace,
  trimPod,
  trimRoute,
  trimWorkload,
} from './objects';

export type ReadKind = TenantObjectKind | 'applications' | 'namespaces';

export interface ObjectRead {
  /** Names the read (an informer, its log lines): `pods`, `pods#1`. */
  id: string;
  kind: ReadKind;
  labelSelector: string;
  /** Read in this namespace only (Argo CD's), whatever namespace is asked about. */
  namespace?: string;
}

/** How a kind is reached and what of it the view keeps. */
export interface ReadKindSpec {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  groupVersionPath: string;
  plural: string;
  namespaced: boolean;
  /** The fields the diagnosis and lifecycle read; everything else is dropped before it is held. */
  trim: (object: any) => any;
  /** Held packed per namespace (HeldObjects): kinds with many alike objects per tenant. */
  pack: boolean;
}

export const READ_KINDS: Record<ReadKind, ReadKindSpec> = {
  deployments: {
    groupVersionPath: '/apis/apps/v1',
    plural: 'deployments',
    namespaced: true,
    trim: trimWorkload,
    pack: true,
  },
  statefulsets: {
    groupVersionPath: '/apis/apps/v1',
    plural: 'statefulsets',
    namespaced: true,
    trim: trimWorkload,
    pack: true,
  },
  pods: {
    groupVersionPath: '/api/v1',
    plural: 'pods',
    namespaced: true,
    trim: trimPod,
    pack: true,
  },
  routes: {
    groupVersionPath: '/apis/route.openshift.io/v1',
    plural: 'routes',
    namespaced: true,
    trim: trimRoute,
    pack: true,
  },
  applications: {
    groupVersionPath: '/apis/argoproj.io/v1alpha1',
    plural: 'applications',
    namespaced: true,
    trim: trimApplication,
    pack: false,
  },
  namespaces: {
    groupVersionPath: '/api/v1',
    plural: 'namespaces',
    namespaced: false,
    trim: trimNamespace,
    pack: false,
  },
  networkpolicies: {
    groupVersionPath: '/apis/networking.k8s.io/v1',
    plural: 'networkpolicies',
    namespaced: true,
    trim: trimIsolation,
    pack: false,
  },
  resourcequotas: {
    groupVersionPath: '/api/v1',
    plural: 'resourcequotas',
    namespaced: true,
    trim: trimIsolation,
    pack: false,
  },
};

/** The kinds that tell a tenant's isolation: a cluster or token without them still has its workloads read. */
export const ISOLATION_KINDS: readonly ReadKind[] = [
  'networkpolicies',
  'resourcequotas',
];

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

/** Every (kind, selector) read of tenants' objects: the same whatever the tenants' release names. */
export const TENANT_READS: readonly ObjectRead[] = TENANT_OBJECT_KINDS.flatMap(
  kind =>
    TENANT_OBJECT_SELECTORS[kind].map((labelSelector, i) => ({
      id: i ? `${kind}#${i}` : kind,
      kind,
      labelSelector,
    })),
);

export interface ListResult {
  items: any[];
  metadata?: { resourceVersion?: string };
}

/** The API path of a kind, in a namespace or across all. */
export function readPath(kind: ReadKind, namespace?: string): string {
  const spec = READ_KINDS[kind];
  const ns =
    spec.namespaced && namespace
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${spec.groupVersionPath}${ns}/${spec.plural}`;
}

/** One list call with the typed clients: in a namespace, or in all namespaces when `namespace` is undefined. */
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
