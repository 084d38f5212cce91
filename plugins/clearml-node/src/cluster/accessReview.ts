/**
 * Asks the API server what a credential may do (SelfSubjectAccessReview), so an
 * action refuses before its first write instead of failing half-way with 403.
 */
import type { KubernetesClients } from './kubernetesClients';

/**
 * One right, in the API server's `resourceAttributes` form.
 *
 * @public
 */
export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/**
 * `create rolebindings.rbac.authorization.k8s.io in clearml-acme`, as refusals print a right.
 *
 * @public
 */
export function describeAccess(check: AccessCheck): string {
  const resource = check.group
    ? `${check.resource}.${check.group}`
    : check.resource;
  return `${check.verb} ${resource}${check.name ? ` named ${check.name}` : ''}${check.namespace ? ` in ${check.namespace}` : ''}`;
}

/**
 * The checks the credential is denied, in the order given. Request failures throw.
 *
 * @public
 */
export async function deniedAccess(
  clients: KubernetesClients,
  checks: readonly AccessCheck[],
): Promise<AccessCheck[]> {
  const denied: AccessCheck[] = [];
  for (const check of checks) {
    const review = await clients.authorization.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { ...check } },
      },
    });
    if (!review.status?.allowed) denied.push(check);
  }
  return denied;
}
