/**
 * `metav1.Status` error bodies with the reasons, codes and messages the real
 * API server sends (k8s.io/apimachinery/pkg/api/errors).
 */
import { qualifiedResource, ResourceType } from './resources';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An error the router turns into a `metav1.Status` response. */
export class StatusError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

function statusDetails(t: ResourceType, name?: string): StatusBody['details'] {
  return { ...(name ? { name } : {}), group: t.group, kind: t.resource };
}

export function notFound(t: ResourceType, name: string): StatusError {
  return failure(
    404,
    'NotFound',
    `${qualifiedResource(t)} "${name}" not found`,
    statusDetails(t, name),
  );
}

export function alreadyExists(t: ResourceType, name: string): StatusError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(t)} "${name}" already exists`,
    statusDetails(t, name),
  );
}

export function conflict(t: ResourceType, name: string): StatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    statusDetails(t, name),
  );
}

/** What `forbidden()` in the apiserver's responsewriters says when RBAC refuses a request. */
export function forbidden(
  t: ResourceType,
  user: string,
  verb: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): StatusError {
  const subject = name
    ? `${qualifiedResource(t)} "${name}"`
    : qualifiedResource(t);
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${t.group}" ${scope}`,
    statusDetails(t, name),
  );
}

/** A Forbidden with a message of its own (RBAC escalation prevention words it differently). */
export function forbiddenWithMessage(
  t: ResourceType,
  name: string | undefined,
  message: string,
): StatusError {
  return failure(
    403,
    'Forbidden',
    `${name ? `${qualifiedResource(t)} "${name}"` : qualifiedResource(t)} is forbidden: ${message}`,
    statusDetails(t, name),
  );
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function invalid(
  t: ResourceType,
  name: string,
  causes: Array<{ field: string; message: string }>,
): StatusError {
  const text = causes.map(c => `${c.field}: ${c.message}`).join(', ');
  return failure(422, 'Invalid', `${t.kind} "${name}" is invalid: ${text}`, {
    ...statusDetails(t, name),
    kind: t.kind,
    causes: causes.map(c => ({
      reason: 'FieldValueInvalid',
      message: c.message,
      field: c.field,
    })),
  });
}

export function unprocessable(message: string): StatusError {
  return failure(422, 'Invalid', message);
}

export function methodNotAllowed(message: string): StatusError {
  return failure(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType || 'none'})`,
  );
}

export function pathNotFound(): StatusError {
  return failure(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

/** A failure a test injects to see how a client copes (5xx, 429 …). */
export function injected(
  code: number,
  reason: string,
  message: string,
  retryAfterSeconds?: number,
): StatusError {
  return failure(
    code,
    reason,
    message,
    retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined,
  );
}
