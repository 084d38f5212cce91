/**
 * SecurityContextConstraints grant rules: what `oc adm policy add-scc-to-user <scc> -z <sa> -n <ns>` creates.
 */

/**
 * The SCCs the grant action may apply unless `clearml.scc.allowed` says otherwise.
 *
 * @public
 */
export const DEFAULT_ALLOWED_SCCS: readonly string[] = ['anyuid', 'nonroot-v2'];

/**
 * Name of both the ClusterRole that allows `use` of an SCC and the RoleBinding `oc` creates for it.
 *
 * @public
 */
export function sccRoleName(scc: string): string {
  return `system:openshift:scc:${scc}`;
}

/**
 * One SCC granted to one ServiceAccount, with the reason a reviewer can judge.
 *
 * @public
 */
export interface SccGrant {
  scc: string;
  serviceAccount: string;
  reason: string;
}

/**
 * Namespaces a tenant must never live in or receive grants in.
 *
 * @public
 */
export function isProtectedNamespace(namespace: string): boolean {
  return (
    namespace === 'default' ||
    namespace === 'openshift' ||
    namespace.startsWith('kube-') ||
    namespace.startsWith('openshift-')
  );
}

/**
 * A reviewer-facing reason for a protected namespace, used in every refusal.
 *
 * @public
 */
export const PROTECTED_NAMESPACE_RULE =
  "must not be 'default', 'openshift', 'kube-*' or 'openshift-*' (cluster system namespaces)";
