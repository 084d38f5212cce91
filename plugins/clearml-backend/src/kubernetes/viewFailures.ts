/**
 * How the shared view words a failed list or watch, and which failures
 * retrying does not fix (the read is then marked unavailable with what to
 * grant, or the view is turned off for the cluster).
 */
import {
  ClearmlCluster,
  KubernetesFailure,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import { RefusedError } from './clusterStream';
import { ISOLATION_KINDS, ObjectRead } from './reads';
import { isolationErrorOf, routesErrorOf } from './readNamespace';

/** clearml-node's wording of the failure, with the server's Retry-After when it sent one. */
export function describeStreamFailure(
  error: unknown,
  cluster: ClearmlCluster,
  timeoutMs: number,
): KubernetesFailure {
  const failure = describeKubernetesError(error, cluster, { timeoutMs });
  const retryAfter =
    error instanceof RefusedError ? error.retryAfterSeconds : undefined;
  return retryAfter !== undefined
    ? {
        ...failure,
        message: `${failure.message} (Retry-After: ${retryAfter}s)`,
      }
    : failure;
}

/**
 * A failure that retrying does not fix: why the read is unavailable, and whether the token may not watch the kind
 * cluster-wide at all (`viewForbidden`: per-namespace lists instead). Undefined: retry.
 */
export function finalFailureOf(
  read: ObjectRead,
  error: unknown,
  describe: (error: unknown) => KubernetesFailure,
): { message: string; viewForbidden?: boolean } | undefined {
  if (!(error instanceof RefusedError)) return undefined;
  const failure = describe(error);
  if (read.kind === 'routes' && error.code === 404) {
    const message = routesErrorOf(failure, 'cluster-wide');
    return message === undefined ? undefined : { message };
  }
  if (read.kind === 'namespaces' && error.code === 403)
    return {
      message: `The read-only token may not list namespaces: ${failure.message}`,
    };
  // A token without the isolation kinds: the workloads are still served, the card says what to grant.
  if (ISOLATION_KINDS.includes(read.kind)) {
    const isolation = isolationErrorOf(
      { ...failure, httpStatus: error.code },
      read.kind,
      'cluster-wide',
    );
    if (isolation) return { message: isolation };
  }
  if (read.kind === 'applications' && error.code === 404)
    return {
      message: `The cluster serves no Argo CD Applications (argoproj.io/v1alpha1): ${failure.message}`,
    };
  if (read.kind === 'applications' && error.code === 403)
    return {
      message: `The read-only token may not list Argo CD Applications in ${read.namespace}: ${failure.message}`,
    };
  if (error.code === 403)
    return { message: failure.message, viewForbidden: true };
  return undefined;
}
