/** The lifecycle's pull-request stage, as every target's `readChangeRequest` answers it. */
import type { LifecycleStage } from '@clearml-openshift/plugin-clearml-common';

/**
 * The lifecycle's pull-request stage in a state, with its summary (and a url or the reason it is unknown).
 *
 * @public
 */
export function pullRequestStage(
  state: LifecycleStage['state'],
  summary: string,
  extra: Partial<LifecycleStage> = {},
): LifecycleStage {
  return { id: 'pullRequest', state, summary, ...extra };
}

/**
 * A stage that could not be read, with the reason.
 *
 * @public
 */
export function unknownPullRequest(unavailable: string): LifecycleStage {
  return pullRequestStage('unknown', 'Pull request unknown', { unavailable });
}
