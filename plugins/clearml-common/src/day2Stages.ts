/**
 * The words of the day-2 stages (change, upgrade, retire): the backend starts each stage's summary with one of them
 * ("Change pending review: Pull request #5 waiting for review"), and the card and fleet page show that word as what
 * the tenant is doing, so both read one list.
 */
import type { LifecycleStageId } from './health';

/**
 * Per day-2 stage: its pull request in review, merged while Argo CD applies it, applied, and failed to apply.
 *
 * @public
 */
export const DAY2_STAGE_WORDS = {
  change: {
    review: 'Change pending review',
    applying: 'Applying the change',
    done: 'Changed',
    failed: 'Change did not apply',
  },
  upgrade: {
    review: 'Upgrade pending review',
    applying: 'Upgrading',
    done: 'Upgraded',
    failed: 'Upgrade did not apply',
  },
  retire: {
    review: 'Retiring',
    applying: 'Retiring',
    done: 'Retired',
    failed: 'Retiring',
  },
} as const;

/**
 * What a day-2 stage says the tenant is doing ("Change pending review", "Upgrading", "Retired"): the word its
 * summary starts with; undefined for the other stages.
 *
 * @public
 */
export function day2StageLabel(stage: {
  id: LifecycleStageId;
  summary?: string;
}): string | undefined {
  if (!(stage.id in DAY2_STAGE_WORDS)) return undefined;
  const words = Object.values(
    DAY2_STAGE_WORDS[stage.id as keyof typeof DAY2_STAGE_WORDS],
  );
  return words.find(word => stage.summary?.startsWith(`${word}:`));
}
