/** What every GitOps target's publisher (GitHub, local git) receives, returns and refuses. */
import { ConflictError } from '@backstage/errors';

/**
 * Git tree modes a change writes.
 *
 * @public
 */
export type GitFileMode = '100644' | '100755' | '120000';

/**
 * A file as it will be committed: repository path, bytes, mode.
 *
 * @public
 */
export interface RepositoryFile {
  path: string;
  content: Buffer;
  mode: GitFileMode;
}

/**
 * A tenant's change to the GitOps repository: exactly these files in `targetPath` on `branchName`, and the change
 * request (pull request) a reviewer merges from.
 *
 * @public
 */
export interface GitopsChange {
  host: string;
  owner: string;
  repo: string;
  branchName: string;
  /** Undefined: the repository's default branch. */
  targetBranchName?: string;
  targetPath: string;
  files: RepositoryFile[];
  title: string;
  /** The pull-request body, given the files the change removes from the tenant's directory. */
  description: (removedFiles: string[]) => string;
  commitMessage: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
  draft: boolean;
  update: boolean;
  /** Where the tenant already runs (its namespace exists), from the preflight; undefined when it does not. */
  existingTenant?: string;
}

/**
 * What a published change left: the change request (or, for a local target, the branch), its base and commit.
 *
 * @public
 */
export interface GitopsPublishResult {
  remoteUrl: string;
  pullRequestNumber?: number;
  targetBranchName: string;
  commitSha?: string;
  removedFiles: string[];
  [key: string]: string | number | string[] | undefined;
}

/**
 * Without `update`, a tenant directory that already exists on the target branch,
 * or a branch that already exists, is refused before anything is pushed: it is
 * another tenant's (or this tenant's earlier) work.
 *
 * @public
 */
export function conflictIfPresent(
  change: GitopsChange,
  state: {
    branchExists: boolean;
    targetPathExists: boolean;
    base: string;
    where: string;
  },
): void {
  if (change.update) return;
  if (change.existingTenant && !state.branchExists) {
    throw new ConflictError(
      `tenant: ${change.existingTenant} already exists, and no pull request of this tenant is open in ${state.where}; ` +
        'a new tenant cannot take over an existing one. Choose another tenant name, or change the tenant with update: true',
    );
  }
  if (state.targetPathExists) {
    throw new ConflictError(
      `targetPath: ${change.targetPath}/ already exists on branch ${state.base} of ${state.where}; ` +
        'files already there are never overwritten. Choose another tenant or targetPath, ' +
        'or set update: true to update this tenant',
    );
  }
  if (state.branchExists) {
    throw new ConflictError(
      `branchName: branch ${change.branchName} already exists in ${state.where} (an earlier run's pull request may be open); ` +
        'set update: true to update that branch and its pull request, or choose another branchName',
    );
  }
}

/**
 * What a local target's task shows as its "pull request": the repository and branch, in git's URL form, never
 * the bare repository's path on the backend's disk.
 *
 * @public
 */
export function localRemoteUrl(change: {
  host: string;
  owner: string;
  repo: string;
  branchName: string;
}): string {
  return `git://${change.host}/${change.owner}/${change.repo}.git#${change.branchName}`;
}
