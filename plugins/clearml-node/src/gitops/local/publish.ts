/**
 * A GitOps repository that is a bare git repository on disk (the local
 * instance, or a plain git server's repositories mounted on the backend). The
 * branch and its commit are written straight into the bare repository, which
 * is what a push would leave there; there is no pull request, so the
 * description goes into the commit message and a reviewer merges by hand.
 */
import { InputError } from '@backstage/errors';
import {
  conflictIfPresent,
  GitopsChange,
  GitopsPublishResult,
  localRemoteUrl,
} from '../change';
import { LocalGitTarget, localRepositoryPath } from '../localTargets';
import { commitLocalFiles, ensureBareRepository } from './commit';
import { gitBlobId, localBranchHead, localFilesAt } from './repository';

/** Whether the commit's tenant directory holds exactly the change's files (same paths, bytes and modes). */
async function holdsExactly(
  gitdir: string,
  commitOid: string,
  change: GitopsChange,
): Promise<boolean> {
  const tree = await localFilesAt(gitdir, commitOid);
  const prefix = `${change.targetPath}/`;
  const present = [...tree.keys()].filter(p => p.startsWith(prefix));
  if (present.length !== change.files.length) return false;
  for (const file of change.files) {
    const entry = tree.get(file.path);
    if (!entry || entry.mode !== file.mode) return false;
    if (entry.oid !== (await gitBlobId(file.content))) return false;
  }
  return true;
}

/**
 * Writes the change's branch into the local target's bare repository (created first when the target lists it).
 *
 * @public
 */
export async function publishToLocalGit(
  target: LocalGitTarget,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const gitdir = localRepositoryPath(target, change.owner, change.repo);
  await ensureBareRepository(target, gitdir);
  // What users read (logs, errors, outputs) names the repository, never its path on the backend's disk.
  const where = `${change.host}/${change.owner}/${change.repo}`;

  const base = change.targetBranchName ?? target.defaultBranch;
  const baseCommit = await localBranchHead(gitdir, base);
  if (!baseCommit) {
    throw new InputError(
      `targetBranchName: branch ${base} does not exist in ${where}`,
    );
  }
  const prefix = `${change.targetPath}/`;
  const existing = [...(await localFilesAt(gitdir, baseCommit)).keys()].filter(
    p => p.startsWith(prefix),
  );
  const branchHead = await localBranchHead(gitdir, change.branchName);
  const branchExists = branchHead !== undefined;
  // A retried task whose branch already holds exactly these files finishes instead of being refused.
  if (
    branchHead &&
    !change.update &&
    existing.length === 0 &&
    (await holdsExactly(gitdir, branchHead, change))
  ) {
    log(
      `Branch ${change.branchName} (${branchHead.slice(0, 12)}) already holds these files in ${where}; nothing to push`,
    );
    return {
      remoteUrl: localRemoteUrl(change),
      targetBranchName: base,
      commitSha: branchHead,
      removedFiles: [],
    };
  }
  conflictIfPresent(change, {
    branchExists,
    targetPathExists: existing.length > 0,
    base,
    where,
  });

  // The branch is the target branch plus one commit that replaces the tenant's directory; created only if still
  // absent (or moved only from the head read above): a concurrent run never overwrites it.
  const { commit: commitSha, removedFiles } = await commitLocalFiles(gitdir, {
    branch: change.branchName,
    expectedHead: branchHead,
    parent: baseCommit,
    replace: [change.targetPath],
    files: change.files,
    message: removed => `${change.title}\n\n${change.description(removed)}`,
    author: target.author,
    where,
  });
  log(
    `Pushed ${change.branchName} (${commitSha.slice(0, 12)}) to ${where}; merge it into ${base} by hand after review`,
  );

  return {
    remoteUrl: localRemoteUrl(change),
    targetBranchName: base,
    commitSha,
    removedFiles,
  };
}
