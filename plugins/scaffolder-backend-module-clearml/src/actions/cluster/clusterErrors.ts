/**
 * A failed cluster call as a task error: what was refused and what the
 * credential needs. Every failure maps to a Backstage error with a status, so
 * a dry run against a dead, hung or refusing cluster answers 4xx/503 with the
 * message, never a bare 500.
 */
import {
  ConflictError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ClearmlCluster,
  describeKubernetesError,
  KubernetesClients,
} from '@clearml-openshift/plugin-clearml-node';

export const GRANTER_DOCS = 'docs/scc-grant.md';

export function clusterCallError(
  error: unknown,
  cluster: ClearmlCluster,
  clients: Pick<KubernetesClients, 'timeoutMs' | 'credential'>,
  what: string,
  needs: string,
): Error {
  const failure = describeKubernetesError(error, cluster, {
    timeoutMs: clients.timeoutMs,
  });
  const text = `${what} failed: ${failure.message}`;
  const credential =
    clients.credential === 'grant'
      ? 'grant credential (grantToken)'
      : 'read credential (serviceAccountToken)';
  if (failure.httpStatus === 403) {
    return new NotAllowedError(
      `${text}. The ${credential} of cluster '${cluster.name}' needs ${needs} (ClusterRole in ${GRANTER_DOCS})`,
    );
  }
  if (failure.httpStatus === 409) return new ConflictError(text);
  if (failure.httpStatus === 401) {
    return new ServiceUnavailableError(
      `${text} (nothing was changed; renew the ${credential} of cluster '${cluster.name}' in clearml.clusters)`,
    );
  }
  return new ServiceUnavailableError(
    `${text} (nothing was changed; run the task again once the cluster answers)`,
  );
}

export function statusCode(error: unknown): number | undefined {
  const e = error as any;
  return typeof e?.code === 'number' && 'body' in e ? e.code : undefined;
}
