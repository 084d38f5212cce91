/**
 * Turns what a Kubernetes call throws (a metav1.Status from the API server, a
 * refused connection, a timeout, a TLS failure) into one sentence a platform
 * engineer can act on. Tokens never reach the sentence.
 */
import type { ClearmlCluster } from './clusters';

/** @public */
export type KubernetesFailureKind =
  'status' | 'timeout' | 'unreachable' | 'tls' | 'unknown';

/** @public */
export interface KubernetesFailure {
  kind: KubernetesFailureKind;
  /** HTTP status when the server answered. */
  httpStatus?: number;
  /** metav1.Status reason (NotFound, AlreadyExists, Conflict, Forbidden, …). */
  reason?: string;
  /** The API server's own message, when it sent one. */
  serverMessage?: string;
  /** A sentence naming the cluster and what went wrong. */
  message: string;
}

interface StatusBody {
  reason?: string;
  message?: string;
  code?: number;
}

const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

function parseStatus(body: unknown): StatusBody {
  if (body && typeof body === 'object') return body as StatusBody;
  if (typeof body === 'string' && body.trim().startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch {
      return {};
    }
  }
  return {};
}

/** Removes every token of the cluster from a text (defence in depth: messages are built without them). */
export function redactTokens(
  text: string,
  cluster: Pick<ClearmlCluster, 'serviceAccountToken' | 'grantToken'>,
): string {
  let result = text;
  for (const token of [cluster.serviceAccountToken, cluster.grantToken]) {
    if (token) result = result.split(token).join('[redacted]');
  }
  return result;
}

function errorCode(error: any): string | undefined {
  return error?.code ?? error?.errno ?? error?.cause?.code;
}

/** @public */
export function describeKubernetesError(
  error: unknown,
  cluster: ClearmlCluster,
  options: { timeoutMs?: number } = {},
): KubernetesFailure {
  // The cluster's name only: its URL is config a template user or card viewer has no need to see.
  const where = `cluster '${cluster.name}'`;
  const err = error as any;
  let failure: KubernetesFailure;
  if (typeof err?.code === 'number' && 'body' in err) {
    const status = parseStatus(err.body);
    const httpStatus: number = err.code;
    const reason =
      status.reason ?? (httpStatus === 401 ? 'Unauthorized' : undefined);
    let message: string;
    if (httpStatus === 401) {
      message = `${where} rejected the credential (401 Unauthorized): the token is invalid or expired`;
    } else if (status.message) {
      message = `${where} answered ${httpStatus}${reason ? ` ${reason}` : ''}: ${status.message}`;
    } else {
      message = `${where} answered HTTP ${httpStatus}${reason ? ` ${reason}` : ''}`;
    }
    failure = {
      kind: 'status',
      httpStatus,
      ...(reason ? { reason } : {}),
      ...(status.message ? { serverMessage: status.message } : {}),
      message,
    };
  } else if (
    err?.name === 'AbortError' ||
    err?.type === 'aborted' ||
    err?.name === 'TimeoutError'
  ) {
    const seconds =
      options.timeoutMs !== undefined
        ? ` within ${options.timeoutMs / 1000}s`
        : ' in time';
    failure = {
      kind: 'timeout',
      message: `${where} did not answer${seconds}; is the API server up and reachable from Backstage?`,
    };
  } else if (TLS_CODES.test(errorCode(err) ?? '')) {
    failure = {
      kind: 'tls',
      message: `${where}: TLS verification failed (${errorCode(err)}); set caData or caFile to the API server's CA`,
    };
  } else if (typeof errorCode(err) === 'string' || err?.name === 'FetchError') {
    const detail = errorCode(err) ?? 'connection failed';
    failure = {
      kind: 'unreachable',
      message: `${where} cannot be reached (${detail}); is the URL right and the API server up?`,
    };
  } else {
    failure = {
      kind: 'unknown',
      message: `${where}: ${err?.message ?? String(error)}`,
    };
  }
  return {
    ...failure,
    message: redactTokens(failure.message, cluster),
    ...(failure.serverMessage
      ? { serverMessage: redactTokens(failure.serverMessage, cluster) }
      : {}),
  };
}

/** True for a metav1.Status NotFound (404). */
export function isNotFound(error: unknown): boolean {
  return (error as any)?.code === 404 && 'body' in (error as any);
}

/** True for a metav1.Status Conflict (409): the object changed since it was read. */
export function isConflict(error: unknown): boolean {
  return (error as any)?.code === 409 && 'body' in (error as any);
}
