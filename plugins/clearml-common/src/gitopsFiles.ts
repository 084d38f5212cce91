/**
 * Where the catalog reads a file of a tenant's GitOps pull request before it
 * is merged: pinned to the pull request's commit, because a branch named
 * `clearml/<tenant>` cannot be told apart from a path in a `/blob/<ref>/<path>`
 * URL (Backstage's GitHub URL reader takes the first segment as the ref).
 */

/**
 * The tenant's catalog file, beside its values and Routes.
 *
 * @public
 */
export const TENANT_CATALOG_FILE = 'catalog-info.yaml';

/**
 * The clearml backend route (below `/api/clearml`) that serves files of local git targets to the catalog.
 *
 * @public
 */
export const LOCAL_GIT_ROUTE = '/v1/local-git';

/** @public */
export interface GitopsFileRef {
  host: string;
  owner: string;
  repo: string;
  /** A full 40-character commit SHA. */
  commit: string;
  /** Repository path of the file. */
  path: string;
}

/**
 * A GitHub (or GitHub Enterprise) web URL of a file at a commit, as Backstage's GitHub URL reader reads it.
 *
 * @public
 */
export function githubFileUrl(ref: GitopsFileRef): string {
  return `https://${ref.host}/${ref.owner}/${ref.repo}/blob/${ref.commit}/${ref.path}`;
}

/**
 * A GitLab web URL of a file at a commit (`baseUrl` is the instance's `integrations.gitlab[].baseUrl`, owner the
 * project's group path): the `/-/blob/<sha>/` form Backstage's GitLab URL reader reads.
 *
 * @public
 */
export function gitlabFileUrl(baseUrl: string, ref: GitopsFileRef): string {
  return `${baseUrl.replace(/\/+$/, '')}/${ref.owner}/${ref.repo}/-/blob/${ref.commit}/${ref.path}`;
}

/**
 * The clearml backend URL of a file of a local git target at a commit (`clearmlBaseUrl` is `.../api/clearml`).
 *
 * @public
 */
export function localGitFileUrl(
  clearmlBaseUrl: string,
  ref: GitopsFileRef,
): string {
  const segments = [ref.host, ref.owner, ref.repo, ref.commit].map(
    encodeURIComponent,
  );
  return `${clearmlBaseUrl.replace(/\/+$/, '')}${LOCAL_GIT_ROUTE}/${segments.join('/')}/${ref.path
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * True for a full commit SHA (what the local-git route serves: immutable content only).
 *
 * @public
 */
export function isCommitSha(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

/**
 * The branch a tenant's pull request comes from when the template names none: `clearml/<tenant>`.
 *
 * @public
 */
export function tenantBranchName(tenant: string): string {
  return `clearml/${tenant}`;
}

const REPO_NAME = /^[A-Za-z0-9_.-]+$/;

/** One path segment of a repository or its owner: never `.` or `..`. */
const isRepoSegment = (segment: string) =>
  REPO_NAME.test(segment) && segment !== '.' && segment !== '..';

/**
 * A repository as RepoUrlPicker writes it, `host?owner=o&repo=r`; undefined when it is not one. A GitLab owner
 * may be a group path with subgroups (`owner=platform/infra`).
 *
 * @public
 */
export function parseRepoPickerUrl(
  repoUrl: string,
): { host: string; owner: string; repo: string } | undefined {
  try {
    const url = new URL(`https://${repoUrl}`);
    const owner = url.searchParams.get('owner') ?? '';
    const repo = url.searchParams.get('repo') ?? '';
    if (
      !url.host ||
      url.pathname !== '/' ||
      url.username ||
      !owner.split('/').every(isRepoSegment) ||
      !isRepoSegment(repo)
    )
      return undefined;
    return { host: url.host, owner, repo };
  } catch {
    return undefined;
  }
}
