import type { Config } from '@backstage/config';
import { allowedSccs } from './actions/cluster/tenantPreflight';
import { ALLOWED_SERVICE_ACCOUNTS_KEY } from './actions/sccGrant';
import { readPlatformGroup } from './actions/day2/platformRunner';

/** The module's own keys (config.d.ts), read with their types when the module starts. */
export function readModuleConfigKeys(config: Config): void {
  allowedSccs(config);
  config.getOptionalStringArray(ALLOWED_SERVICE_ACCOUNTS_KEY);
  config.getOptionalStringArray('clearml.gitops.protectedBranches');
  readPlatformGroup(config);
}
