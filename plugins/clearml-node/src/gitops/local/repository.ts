/**
 * Reads of a local git target's bare repository, with isomorphic-git (the
 * only package of the workspace that uses it); its one write is `commit.ts`.
 */
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { LocalGitTarget, localRepositoryPath } from '../localTargets';

/**
 * A commit's files by repository path: git mode and blob id.
 *
 * @public
 */
export type LocalGitFiles = Map<string, { mode: string; oid: string }>;

/**
 * Whether `gitdir` holds a (bare) repository.
 *
 * @public
 */
export function isLocalRepository(gitdir: string): boolean {
  return fs.existsSync(path.join(gitdir, 'config'));
}

/**
 * The commit `refs/heads/<branch>` points to, or undefined when the branch does not exist.
 *
 * @public
 */
export async function localBranchHead(
  gitdir: string,
  branch: string,
): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * The repository's branch names.
 *
 * @public
 */
export async function localBranches(gitdir: string): Promise<string[]> {
  return git.listBranches({ fs, gitdir });
}

async function treeFiles(
  gitdir: string,
  oid: string,
  prefix = '',
): Promise<LocalGitFiles> {
  const files: LocalGitFiles = new Map();
  const { tree } = await git.readTree({ fs, gitdir, oid });
  for (const entry of tree) {
    const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
    if (entry.type === 'tree') {
      for (const [p, f] of await treeFiles(gitdir, entry.oid, entryPath))
        files.set(p, f);
    } else {
      files.set(entryPath, { mode: entry.mode, oid: entry.oid });
    }
  }
  return files;
}

/**
 * A commit's tree, parents, message, author and committer.
 *
 * @public
 */
export async function readLocalCommit(gitdir: string, oid: string) {
  return (await git.readCommit({ fs, gitdir, oid })).commit;
}

/**
 * Every file of a commit.
 *
 * @public
 */
export async function localFilesAt(
  gitdir: string,
  commitOid: string,
): Promise<LocalGitFiles> {
  const { commit } = await git.readCommit({ fs, gitdir, oid: commitOid });
  return treeFiles(gitdir, commit.tree);
}

/**
 * Git's blob id of a file's bytes.
 *
 * @public
 */
export async function gitBlobId(content: Buffer): Promise<string> {
  return (await git.hashBlob({ object: content })).oid;
}

/**
 * Whether `branch` is merged into `into`: `into` is at the branch's head or descends from it.
 *
 * @public
 */
export async function isLocalBranchMerged(
  gitdir: string,
  head: string,
  into: string,
): Promise<boolean> {
  const base = await localBranchHead(gitdir, into);
  if (!base) return false;
  return (
    base === head ||
    git.isDescendent({ fs, gitdir, oid: base, ancestor: head, depth: -1 })
  );
}

/** isomorphic-git's errors for a SHA or path that names no file at a commit. */
const NOT_A_FILE_AT_A_COMMIT = [
  'NotFoundError',
  'ObjectTypeError',
  'InvalidOidError',
  'InvalidFilepathError',
];

/**
 * A file of a repository at a commit, or undefined when the commit or the file does not exist.
 *
 * @public
 */
export async function readLocalBlob(
  gitdir: string,
  commit: string,
  filepath: string,
): Promise<Buffer | undefined> {
  try {
    // A commit only: readBlob would also walk a tree SHA.
    await git.readCommit({ fs, gitdir, oid: commit });
    const { blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath });
    return Buffer.from(blob);
  } catch (error) {
    // Not there, or not a file at a commit (a blob or tree SHA, a path through a file): nothing to serve.
    if (NOT_A_FILE_AT_A_COMMIT.includes((error as Error).name))
      return undefined;
    throw error;
  }
}

/**
 * A file of a local target's repository at a commit, or undefined when the
 * repository, the commit or the file does not exist.
 *
 * @public
 */
export async function readLocalGitFile(
  target: LocalGitTarget,
  ref: { owner: string; repo: string; commit: string; path: string },
): Promise<Buffer | undefined> {
  const gitdir = localRepositoryPath(target, ref.owner, ref.repo);
  if (!isLocalRepository(gitdir)) return undefined;
  return readLocalBlob(gitdir, ref.commit, ref.path);
}
