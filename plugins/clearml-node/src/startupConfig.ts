import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readChartsSettings } from './charts';
import { readClearmlClusters } from './cluster';
import { readArgocdSettings } from './gitops/argocdConfig';
import { readLocalGitTargets } from './gitops/localTargets';
import { readImageSettings } from './images/imagesConfig';
import { readTenantNamespacePolicy } from './tenants/tenantNamespacePolicy';

/**
 * Reads, at a plugin's start, every `clearml.*` key it uses, so that a wrong type or value stops the backend with a
 * message naming the key instead of failing at the first request or task. Neither Backstage's backend nor Developer
 * Hub's refuses a value of the wrong type by the config schema at start, so each plugin checks its own. The keys both
 * backends use (`clearml.clusters`, `clearml.tenants`, `clearml.gitops.localTargets`, `clearml.gitops.argocd`,
 * `clearml.charts`, `clearml.images`) are read here; `readOwnKeys` reads the plugin's own.
 *
 * @public
 */
export function checkClearmlConfigAtStartup(
  pluginId: string,
  config: Config,
  options: {
    logger?: LoggerService;
    readOwnKeys?: (config: Config) => void;
  } = {},
): void {
  try {
    readClearmlClusters(config, { logger: options.logger });
    readTenantNamespacePolicy(config);
    readLocalGitTargets(config);
    readArgocdSettings(config);
    readChartsSettings(config);
    readImageSettings(config);
    options.readOwnKeys?.(config);
  } catch (error) {
    throw new Error(
      `${pluginId}: invalid configuration, not starting: ${(error as Error).message}`,
    );
  }
}
