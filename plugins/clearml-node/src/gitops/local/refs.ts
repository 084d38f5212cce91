/**
 * Compare-and-swap of a branch in a bare repository, with git's own lock-file
 * protocol (`<ref>.lock` created exclusively, checked, renamed over the ref):
 * a branch is created only if it is absent and moved only from the commit the
 * run read, so two runs (or a run and a `git push`) never overwrite each other.
 */
import { ConflictError } from '@backstage/errors';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';

async function currentValue(
  gitdir: string,
  ref: string,
): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref });
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * Sets `refs/heads/<branch>` to `value` if it is `expected` now (undefined: absent), else a ConflictError.
 * `where` names the repository in messages (never a path on the backend's disk).
 *
 * @public
 */
export async function compareAndSwapBranch(
  gitdir: string,
  branch: string,
  expected: string | undefined,
  value: string,
  where: string,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const refPath = path.join(gitdir, ...ref.split('/'));
  await fs.promises.mkdir(path.dirname(refPath), { recursive: true });
  const lockPath = `${refPath}.lock`;
  let lock: fs.promises.FileHandle;
  try {
    lock = await fs.promises.open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConflictError(
        `branchName: branch ${branch} of ${where} is being written by another run right now; nothing was pushed by this one`,
      );
    }
    throw error;
  }
  let renamed = false;
  try {
    const current = await currentValue(gitdir, ref);
    if (current !== expected) {
      throw new ConflictError(
        expected === undefined
          ? `branchName: branch ${branch} was created in ${where} by another run while this one prepared its commit; ` +
              "nothing was pushed by this run and the branch keeps the other run's content"
          : `branchName: branch ${branch} of ${where} moved while this run prepared its commit; nothing was pushed by this run`,
      );
    }
    await lock.writeFile(`${value}\n`);
    await lock.close();
    await fs.promises.rename(lockPath, refPath);
    renamed = true;
  } finally {
    if (!renamed) {
      await lock.close().catch(() => undefined);
      await fs.promises.rm(lockPath, { force: true });
    }
  }
}
