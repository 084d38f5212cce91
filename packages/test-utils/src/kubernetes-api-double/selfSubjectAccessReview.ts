/**
 * `SelfSubjectAccessReview` (authorization.k8s.io/v1): "may I do this?",
 * answered from the caller's own rules with the same RBAC evaluation the
 * double applies to real requests. Any authenticated caller may ask (the
 * cluster's `system:basic-user` role allows it); nothing is stored.
 */
import { allows, TokenGrant, userOf } from './auth';
import { badRequest } from './status';

export const SSAR_PATH =
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** The review as the API server returns it: the spec sent, plus `status.allowed` and a reason. */
export function reviewSelfSubjectAccess(
  grant: TokenGrant,
  body: unknown,
): { status: number; body: unknown } {
  const review = (body ?? {}) as {
    apiVersion?: string;
    kind?: string;
    metadata?: object;
    spec?: {
      resourceAttributes?: ResourceAttributes;
      nonResourceAttributes?: object;
    };
  };
  if (!review.spec || typeof review.spec !== 'object')
    throw badRequest('SelfSubjectAccessReview: spec is required');
  const a = review.spec.resourceAttributes;
  let allowed = false;
  if (a && typeof a === 'object') {
    if (!a.verb || !a.resource)
      throw badRequest(
        'SelfSubjectAccessReview: spec.resourceAttributes needs verb and resource',
      );
    allowed = allows(grant.rules, {
      verb: a.verb,
      apiGroup: a.group ?? '',
      resource: a.subresource ? `${a.resource}/${a.subresource}` : a.resource,
      name: a.name || undefined,
      namespace: a.namespace || undefined,
    });
  }
  return {
    status: 201,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: review.spec,
      status: allowed
        ? {
            allowed: true,
            reason: `RBAC: allowed by the rules bound to "${userOf(grant)}"`,
          }
        : { allowed: false },
    },
  };
}
