/** A local git target's repository as day-2 actions read it: a branch not merged into the default branch is open. */
import type { GitopsRepositoryReader } from '../reader';
import { LocalGitTarget, localRepositoryPath } from '../localTargets';
import {
  isLocalBranchMerged,
  localBranchHead,
  localFilesAt,
  readLocalBlob,
} from './repository';

/**
 * A local target's bare repository as day-2 actions read it.
 *
 * @public
 */
export function localRepositoryReader(
  target: LocalGitTarget,
  owner: string,
  repo: string,
): GitopsRepositoryReader {
  const gitdir = localRepositoryPath(target, owner, repo);
  const where = `${target.host}/${owner}/${repo}`;
  const head = (branch: string) =>
    localBranchHead(gitdir, branch).catch(() => undefined);
  return {
    defaultBranch: target.defaultBranch,
    async filesIn(dir, ref) {
      const files = new Map<string, Buffer>();
      const base = await head(ref ?? target.defaultBranch);
      if (!base) return files;
      for (const [p, entry] of await localFilesAt(gitdir, base)) {
        if (!p.startsWith(`${dir}/`) || entry.mode === '160000') continue;
        files.set(p, (await readLocalBlob(gitdir, base, p))!);
      }
      return files;
    },
    async openChange(branch) {
      const branchHead = await head(branch);
      if (!branchHead) return undefined;
      return (await isLocalBranchMerged(
        gitdir,
        branchHead,
        target.defaultBranch,
      ))
        ? undefined
        : `branch ${branch} of ${where} is not merged into ${target.defaultBranch}`;
    },
  };
}
