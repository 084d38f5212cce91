/** What a report says when the cluster could not be read: its token refused, or no answer. */
import type { HealthProblem } from '@clearml-openshift/plugin-clearml-common';
import { ClusterReadError } from '../kubernetes/readNamespace';

export function unreachableProblem(error: unknown): HealthProblem {
  const failure = error instanceof ClusterReadError ? error.failure : undefined;
  const why = error instanceof Error ? error.message : String(error);
  if (failure?.httpStatus === 401 || failure?.httpStatus === 403) {
    return {
      severity: 'error',
      reason:
        failure.httpStatus === 401 ? 'ClusterUnauthorized' : 'ClusterForbidden',
      message: `The health check's read-only token was refused: ${why}`,
      hint: "Check the cluster's serviceAccountToken in app-config, and bind its account to the ClusterRole in the clearml-backend README.",
    };
  }
  return {
    severity: 'error',
    reason: 'ClusterUnreachable',
    message: `The tenant's state is unknown: ${why}`,
    hint: 'Check the API server URL, the network path from Backstage and the CA (caData/caFile) in app-config.',
  };
}
