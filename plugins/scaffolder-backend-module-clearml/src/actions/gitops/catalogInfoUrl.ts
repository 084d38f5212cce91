/**
 * The URL `catalog:register` reads the tenant's catalog file from, before the
 * pull request is merged: pinned to the pushed commit (a `clearml/<tenant>`
 * branch in a `/blob/<ref>/` URL would be read as ref `clearml`). GitHub and
 * GitLab: the web URLs the catalog's GitHub and GitLab readers understand. Local git targets: the
 * clearml backend's read-only route, since the catalog cannot read a bare
 * repository on disk.
 */
import {
  githubFileUrl,
  gitlabFileUrl,
  localGitFileUrl,
  TENANT_CATALOG_FILE,
} from '@clearml-openshift/plugin-clearml-common';
import { RepoTarget } from './repoTarget';

export async function tenantCatalogInfoUrl(options: {
  target: RepoTarget;
  targetPath: string;
  files: string[];
  commit: string | undefined;
  /** Base URL of the clearml backend (`.../api/clearml`); needed for local git targets only. */
  clearmlBaseUrl?: () => Promise<string>;
}): Promise<string | undefined> {
  const { target, targetPath, files, commit } = options;
  const path = `${targetPath}/${TENANT_CATALOG_FILE}`;
  if (!commit || !files.includes(path)) return undefined;
  const ref = {
    host: target.host,
    owner: target.owner,
    repo: target.repo,
    commit,
    path,
  };
  if (target.kind === 'github') return githubFileUrl(ref);
  if (target.kind === 'gitlab')
    return gitlabFileUrl(target.integration.baseUrl, ref);
  if (!options.clearmlBaseUrl) return undefined;
  return localGitFileUrl(await options.clearmlBaseUrl(), ref);
}
