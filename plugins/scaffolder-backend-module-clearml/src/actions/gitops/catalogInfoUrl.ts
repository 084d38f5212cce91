/**
 * The URL `catalog:register` reads the tenant's catalog file from, before the
 * pull request is merged: pinned to the pushed commit (a `clearml/<tenant>`
 * branch in a `/blob/<ref>/` URL would be read as ref `clearml`), in the form
 * the target's kind makes readable to the catalog (GitHub's and GitLab's web URLs; for a
 * local git target the clearml backend's read-only route).
 */
import { TENANT_CATALOG_FILE } from '@clearml-openshift/plugin-clearml-common';
import type { GitopsTarget } from '@clearml-openshift/plugin-clearml-node';

export async function tenantCatalogInfoUrl(options: {
  target: GitopsTarget;
  targetPath: string;
  files: string[];
  commit: string | undefined;
  /** Base URL of the clearml backend (`.../api/clearml`); needed for local git targets only. */
  clearmlBaseUrl?: () => Promise<string>;
}): Promise<string | undefined> {
  const { target, targetPath, files, commit } = options;
  const path = `${targetPath}/${TENANT_CATALOG_FILE}`;
  if (!commit || !files.includes(path)) return undefined;
  return target.fileUrl({ commit, path }, options.clearmlBaseUrl);
}
