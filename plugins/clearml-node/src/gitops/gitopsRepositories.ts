/**
 * The GitOps repositories tenants live in (`clearml.gitops.repositories`, and
 * every local git target): the pull-request action writes to no other, and
 * only an entity registered from one of them is a tenant (tenantAnchorOf).
 */
import { Config } from '@backstage/config';
import {
  GitopsRepository,
  parseRepoPickerUrl,
  TenantAnchorSources,
} from '@clearml-openshift/plugin-clearml-common';
import { readLocalGitTargets } from './localTargets';

/**
 * Reads `clearml.gitops.repositories` (RepoUrlPicker form, `github.com?owner=o&repo=r`).
 *
 * @public
 */
export function readGitopsRepositories(config: Config): GitopsRepository[] {
  const entries =
    config.getOptionalStringArray('clearml.gitops.repositories') ?? [];
  return entries.map((entry, i) => {
    const parsed = parseRepoPickerUrl(entry);
    if (!parsed)
      throw new Error(
        `clearml.gitops.repositories[${i}]: must be host?owner=<owner>&repo=<repo> (got ${JSON.stringify(entry)})`,
      );
    return parsed;
  });
}

/**
 * Where tenant entities may come from, for tenantAnchorOf: the configured repositories, the local git targets,
 * and the clearml backend's base URLs (the local-git route the pull-request action registers).
 *
 * @public
 */
export function readTenantAnchorSources(
  config: Config,
  clearmlBaseUrls: string[],
): TenantAnchorSources {
  return {
    repositories: readGitopsRepositories(config),
    localHosts: readLocalGitTargets(config).map(t => t.host),
    clearmlBaseUrls,
  };
}

/**
 * The tenant anchor sources a backend uses, checked at once (a config error shows at startup, not at the first
 * request) and completed with the clearml plugin's internal and external base URLs on first use. The clearml backend
 * and the scaffolder module both take it, so both recognise a tenant by the same rule and the same URLs.
 *
 * @public
 */
export function lazyTenantAnchorSources(
  config: Config,
  discovery: {
    getBaseUrl(pluginId: string): Promise<string>;
    getExternalBaseUrl(pluginId: string): Promise<string>;
  },
): () => Promise<TenantAnchorSources> {
  readTenantAnchorSources(config, []);
  let sources: Promise<TenantAnchorSources> | undefined;
  return () =>
    (sources ??= Promise.all([
      discovery.getBaseUrl('clearml'),
      discovery.getExternalBaseUrl('clearml'),
    ]).then(urls => readTenantAnchorSources(config, [...new Set(urls)])));
}
