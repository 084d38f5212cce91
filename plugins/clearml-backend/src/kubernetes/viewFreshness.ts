/**
 * Whether what an informer holds may be served: current, the last known state
 * (stale, with its age and the cause) within `staleSeconds` of when the
 * cluster was last heard from, or not at all (a ClusterReadError saying what
 * happened: never listed, no answer, or past the bound).
 */
import type { KubernetesFailure } from '@clearml-openshift/plugin-clearml-node';
import type { HealthStaleness } from '@clearml-openshift/plugin-clearml-common';
import { Informer } from './Informer';
import { ClusterReadError } from './readNamespace';

/** The config key of the bound, as messages name it. */
export const STALE_SECONDS_KEY = 'clearml.health.staleSeconds';

export interface FreshnessContext {
  clusterName: string;
  /** The cluster's request timeout. */
  timeoutMs: number;
  staleSeconds: number;
  /** A watch silent this long (no event, bookmark or end) counts as not heard from. */
  silentAfterMs: number;
  now: () => number;
  describe: (error: unknown) => KubernetesFailure;
}

/** Undefined when current; the staleness when the last known state; throws past the bound or before a first list. */
export function informerFreshness(
  informer: Informer,
  context: FreshnessContext,
): HealthStaleness | undefined {
  const { clusterName, timeoutMs, staleSeconds } = context;
  const read = informer.read;
  if (!informer.synced) {
    if (informer.failure)
      throw new ClusterReadError(context.describe(informer.failure));
    throw new ClusterReadError({
      kind: 'timeout',
      message: `Cluster '${clusterName}' did not answer the list of ${read.id} within ${timeoutMs / 1000}s`,
    });
  }
  const ageMs = context.now() - informer.heardAt;
  const silent = ageMs > context.silentAfterMs;
  if (!informer.failure && !silent) return undefined;
  const cause = informer.failure
    ? context.describe(informer.failure)
    : ({
        kind: 'timeout',
        message: `cluster '${clusterName}' sent nothing on the watch of ${read.id} for ${Math.round(ageMs / 1000)}s`,
      } as KubernetesFailure);
  const age = Math.round(ageMs / 1000);
  if (ageMs > staleSeconds * 1000)
    throw new ClusterReadError({
      ...cause,
      message: `Cluster '${clusterName}' has not been heard from for ${age}s (${read.id}), longer than the ${staleSeconds}s its last known state is served (${STALE_SECONDS_KEY}): ${cause.message}`,
    });
  return {
    asOf: new Date(informer.heardAt).toISOString(),
    ageSeconds: age,
    reason: cause.message,
  };
}

/** The oldest staleness of the given informers (unavailable ones skipped; each may throw past the bound). */
export function oldestStaleness(
  informers: Informer[],
  context: FreshnessContext,
): HealthStaleness | undefined {
  let oldest: HealthStaleness | undefined;
  for (const informer of informers) {
    if (informer.unavailable) continue;
    const stale = informerFreshness(informer, context);
    if (stale && (!oldest || stale.ageSeconds > oldest.ageSeconds))
      oldest = stale;
  }
  return oldest;
}
