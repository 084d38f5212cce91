/**
 * `clearml.tiers`: the size tiers the platform offers, read once from config
 * and checked (a bad quantity or unknown container fails at startup, naming
 * its key). Absent: the built-in small, medium and large tiers.
 */
import type { Config } from '@backstage/config';
import {
  resolveTiers,
  SizeTier,
} from '@clearml-openshift/plugin-clearml-common';

/** @public */
export function readTiers(config?: Config): SizeTier[] {
  return resolveTiers(config?.getOptional('clearml.tiers'));
}
