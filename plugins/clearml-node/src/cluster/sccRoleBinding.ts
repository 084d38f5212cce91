/**
 * The RoleBinding `oc adm policy add-scc-to-user <scc> -z <sa> -n <ns>` creates
 * (OpenShift 4.5+): named after the SCC's ClusterRole, in the namespace, one
 * ServiceAccount subject per grant.
 */
import { sccRoleName } from '@clearml-openshift/plugin-clearml-common';
import type { V1RoleBinding, RbacV1Subject } from '@kubernetes/client-node';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** @public */
export function sccServiceAccountSubject(
  serviceAccount: string,
  namespace: string,
): RbacV1Subject {
  return { kind: 'ServiceAccount', name: serviceAccount, namespace };
}

/** @public */
export function sccRoleBinding(
  scc: string,
  namespace: string,
  serviceAccounts: readonly string[],
): V1RoleBinding {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: { name: sccRoleName(scc), namespace },
    roleRef: {
      apiGroup: RBAC_API_GROUP,
      kind: 'ClusterRole',
      name: sccRoleName(scc),
    },
    subjects: serviceAccounts.map(sa =>
      sccServiceAccountSubject(sa, namespace),
    ),
  };
}

/**
 * Whether an existing binding points at the SCC's ClusterRole (a same-named binding to anything else is not ours to touch).
 *
 * @public
 */
export function bindsSccRole(binding: V1RoleBinding, scc: string): boolean {
  const ref = binding.roleRef;
  return (
    ref?.kind === 'ClusterRole' &&
    ref.name === sccRoleName(scc) &&
    (ref.apiGroup ?? RBAC_API_GROUP) === RBAC_API_GROUP
  );
}

/**
 * The ServiceAccounts not yet subjects of the binding, in the order asked for.
 *
 * @public
 */
export function missingServiceAccounts(
  binding: V1RoleBinding | undefined,
  namespace: string,
  serviceAccounts: readonly string[],
): string[] {
  const present = (binding?.subjects ?? []).filter(
    s =>
      s.kind === 'ServiceAccount' && (s.namespace ?? namespace) === namespace,
  );
  return [...new Set(serviceAccounts)].filter(
    sa => !present.some(s => s.name === sa),
  );
}
