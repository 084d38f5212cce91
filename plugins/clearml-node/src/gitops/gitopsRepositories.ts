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
