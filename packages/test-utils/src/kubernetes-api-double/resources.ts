/**
 * The resource types the double serves: the ones this product reads or writes,
 * with the names, kinds and scopes the real API server's discovery reports.
 */

export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name as it appears in paths ('rolebindings'). */
  resource: string;
  singularName: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

function type(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  shortNames?: string[],
): ResourceType {
  return {
    group,
    version,
    resource,
    singularName: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames,
  };
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  type('', 'v1', 'namespaces', 'Namespace', false, ['ns']),
  type('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  type('', 'v1', 'services', 'Service', true, ['svc']),
  type('', 'v1', 'pods', 'Pod', true, ['po']),
  type('', 'v1', 'events', 'Event', true, ['ev']),
  type('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  // What the ClearML charts render besides workloads (an Argo CD sync applies them).
  type('', 'v1', 'secrets', 'Secret', true),
  type('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, [
    'pvc',
  ]),
  // The tenant's isolation (isolation.yaml); the health backend lists and watches both.
  type('', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota']),
  type('', 'v1', 'limitranges', 'LimitRange', true, ['limits']),
  type('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']),
  type('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']),
  type('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']),
  type('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, [
    'pdb',
  ]),
  type('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing']),
  type('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, [
    'netpol',
  ]),
  type('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  type('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  type('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  type(
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    false,
  ),
  type('route.openshift.io', 'v1', 'routes', 'Route', true),
  type('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc']),
  type(
    'security.openshift.io',
    'v1',
    'securitycontextconstraints',
    'SecurityContextConstraints',
    false,
    ['scc'],
  ),
  type('argoproj.io', 'v1alpha1', 'applications', 'Application', true, [
    'app',
    'apps',
  ]),
  // The External Secrets Operator's CRDs (a tenant's credentials.yaml).
  type('external-secrets.io', 'v1', 'externalsecrets', 'ExternalSecret', true, [
    'es',
  ]),
  type(
    'generators.external-secrets.io',
    'v1alpha1',
    'passwords',
    'Password',
    true,
  ),
];

export const SUPPORTED_VERBS: readonly string[] = VERBS;

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** `rolebindings.rbac.authorization.k8s.io`, or `pods` in the core group: how error messages name a resource. */
export function qualifiedResource(t: ResourceType): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

export function findByPath(
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.resource === resource,
  );
}

export function findByKind(
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => apiVersionOf(t) === apiVersion && t.kind === kind,
  );
}

/** The groups other than core, in discovery order. */
export function apiGroups(): string[] {
  return [...new Set(RESOURCE_TYPES.filter(t => t.group).map(t => t.group))];
}
