/**
 * What a GitLab merge request needs, checked before anything is written: a
 * token GitLab accepts with the `api` scope, a project the token's user may
 * push to (Developer or higher, not archived), an existing target branch, and
 * a work branch that GitLab does not protect and that is not the target
 * itself. (`clearml.gitops.protectedBranches` is checked by the action
 * before any request.) Files git cannot express through GitLab's commit API
 * (symbolic links) are refused too.
 */
import { InputError, NotFoundError } from '@backstage/errors';
import type { GitopsChange } from '../change';
import { GitlabClient, gitlabProjectPath } from './gitlabClient';
import { gitlabErrorOf } from './gitlabErrors';

/** GitLab's Developer role: the least that pushes a branch and opens a merge request. */
const DEVELOPER = 30;

/** What the publisher goes on with. */
export interface GitlabPreflightResult {
  projectPath: string;
  /** The branch the merge request targets. */
  base: string;
  branchExists: boolean;
}

const isStatus = (error: unknown, ...statuses: number[]) =>
  statuses.includes(gitlabErrorOf(error)?.status ?? -1);

/** `release/*` protects `release/1.0`: GitLab's wildcard protection. */
function matchesProtection(pattern: string, branch: string): boolean {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(branch);
}

async function checkTokenScopes(
  client: GitlabClient,
  host: string,
): Promise<void> {
  let scopes: unknown;
  try {
    ({ scopes } = await client.PersonalAccessTokens.show());
  } catch (error) {
    // 404: not a personal, group or project access token (an OAuth token): GitLab checks its scope at the first call.
    if (isStatus(error, 404)) return;
    throw error;
  }
  if (Array.isArray(scopes) && !scopes.includes('api')) {
    throw new InputError(
      `token: the GitLab token for ${host} (integrations.gitlab[].token, or the token input) has the scopes ` +
        `${scopes.join(', ') || 'none'}; opening a merge request through GitLab's API needs the api scope ` +
        '(write_repository covers git over HTTPS only, not the commits API)',
    );
  }
}

export async function gitlabPreflight(
  client: GitlabClient,
  change: GitopsChange,
): Promise<GitlabPreflightResult> {
  const { host } = change;
  const projectPath = gitlabProjectPath(change.owner, change.repo);
  const link = change.files.find(f => f.mode === '120000');
  if (link) {
    throw new InputError(
      `sourcePath: ${link.path} is a symbolic link; GitLab's commits API writes files only`,
    );
  }

  await checkTokenScopes(client, host);

  const project = await client.Projects.show(projectPath).catch(error => {
    if (isStatus(error, 404)) {
      throw new NotFoundError(
        `repoUrl: project ${projectPath} does not exist on ${host}, or the token's user is not a member of it`,
      );
    }
    throw error;
  });
  if (project.archived) {
    throw new InputError(
      `repoUrl: project ${projectPath} on ${host} is archived (read-only)`,
    );
  }
  const permissions = project.permissions as
    | {
        project_access?: { access_level?: number } | null;
        group_access?: { access_level?: number } | null;
      }
    | undefined;
  const level = Math.max(
    permissions?.project_access?.access_level ?? 0,
    permissions?.group_access?.access_level ?? 0,
  );
  // Instance administrators see no membership: GitLab lets them push anyway.
  if (
    (permissions?.project_access || permissions?.group_access) &&
    level < DEVELOPER
  ) {
    throw new InputError(
      `repoUrl: the token's user has access level ${level} on ${projectPath} (${host}); pushing a branch and opening ` +
        'a merge request needs the Developer role or higher',
    );
  }

  const base = change.targetBranchName ?? String(project.default_branch);
  await client.Branches.show(projectPath, base).catch(error => {
    if (isStatus(error, 404)) {
      throw new NotFoundError(
        `targetBranchName: branch ${base} does not exist in ${projectPath} on ${host}`,
      );
    }
    throw error;
  });
  if (base === change.branchName) {
    throw new InputError(
      `branchName: ${JSON.stringify(change.branchName)} is the target branch of ${projectPath}; the merge request's ` +
        'work branch must be another',
    );
  }
  const refuseProtected = (where: string) =>
    new InputError(
      `branchName: ${JSON.stringify(change.branchName)} is a protected branch (${where}); the merge request's ` +
        "work branch is the tenant's own, never a protected one",
    );
  // clearml.gitops.protectedBranches is refused by the action before any request; these are GitLab's own.
  const branch = await client.Branches.show(projectPath, change.branchName)
    .then(b => b as { protected?: boolean })
    .catch(error => {
      if (isStatus(error, 404)) return undefined;
      throw error;
    });
  if (branch?.protected) throw refuseProtected(`on ${host}/${projectPath}`);
  if (!branch) {
    // A new branch may fall under a wildcard protection. Reading protections takes a maintainer: a developer's
    // token gets 403, and GitLab itself then refuses the commit into a branch it may not push to.
    const protections = await client.ProtectedBranches.all(projectPath).catch(
      error => {
        if (isStatus(error, 403)) return [];
        throw error;
      },
    );
    const match = (protections as Array<{ name: string }>).find(p =>
      matchesProtection(p.name, change.branchName),
    );
    if (match)
      throw refuseProtected(
        `on ${host}/${projectPath}, by the protection ${match.name}`,
      );
  }
  return { projectPath, base, branchExists: Boolean(branch) };
}
