/**
 * The one write into a local git target's bare repository, what a push would
 * leave there: one commit that replaces directories with files, and its
 * branch moved by compare-and-swap. The pull-request action, the local
 * instance's demo tenants and a new repository's first commit all use it.
 */
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import type { RepositoryFile } from '../change';
import type { LocalGitTarget } from '../localTargets';
import { compareAndSwapBranch } from './refs';
import { isLocalRepository, LocalGitFiles, localFilesAt } from './repository';

async function writeTree(
  gitdir: string,
  files: LocalGitFiles,
): Promise<string> {
  const children = new Map<string, LocalGitFiles>();
  const entries: Array<{
    mode: string;
    path: string;
    oid: string;
    type: 'blob' | 'tree' | 'commit';
  }> = [];
  for (const [filePath, file] of files) {
    const slash = filePath.indexOf('/');
    if (slash === -1) {
      entries.push({
        mode: file.mode,
        path: filePath,
        oid: file.oid,
        type: file.mode === '160000' ? 'commit' : 'blob',
      });
      continue;
    }
    const dir = filePath.slice(0, slash);
    if (!children.has(dir)) children.set(dir, new Map());
    children.get(dir)!.set(filePath.slice(slash + 1), file);
  }
  for (const [dir, sub] of children) {
    entries.push({
      mode: '040000',
      path: dir,
      oid: await writeTree(gitdir, sub),
      type: 'tree',
    });
  }
  return git.writeTree({ fs, gitdir, tree: entries });
}

/**
 * Author and committer of commits written into a local target, stamped now.
 *
 * @public
 */
export function gitSignature(target: Pick<LocalGitTarget, 'author'>) {
  return {
    ...target.author,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
}

/**
 * What `commitLocalFiles` writes.
 *
 * @public
 */
export interface LocalCommitOptions {
  /** The branch the commit goes on. */
  branch: string;
  /** Its head now (undefined: it must not exist yet): the branch moves only from there (compare-and-swap). */
  expectedHead: string | undefined;
  /** The commit this one builds on; undefined: a first commit. */
  parent: string | undefined;
  /** Directories of the parent whose files all go before `files` are added. */
  replace: string[];
  files: RepositoryFile[];
  /** The commit message, given the files that went and did not come back. */
  message: string | ((removedFiles: string[]) => string);
  /** Author and committer. */
  author: LocalGitTarget['author'];
  /** Names the repository in errors, never its path on the backend's disk. */
  where: string;
}

/**
 * The one write into a local repository: the parent's tree with `replace` emptied and `files` added, committed,
 * and `branch` moved to it only if its head is still `expectedHead` (else a ConflictError, nothing moved).
 *
 * @public
 */
export async function commitLocalFiles(
  gitdir: string,
  options: LocalCommitOptions,
): Promise<{ commit: string; removedFiles: string[] }> {
  const files = options.parent
    ? await localFilesAt(gitdir, options.parent)
    : (new Map() as LocalGitFiles);
  const prefixes = options.replace.map(dir => `${dir}/`);
  const existing = [...files.keys()]
    .filter(p => prefixes.some(prefix => p.startsWith(prefix)))
    .sort();
  const wanted = new Set(options.files.map(f => f.path));
  const removedFiles = existing.filter(p => !wanted.has(p));
  for (const p of existing) files.delete(p);
  for (const file of options.files) {
    files.set(file.path, {
      mode: file.mode,
      oid: await git.writeBlob({ fs, gitdir, blob: file.content }),
    });
  }
  const tree = await writeTree(gitdir, files);
  const stamp = gitSignature(options);
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      message:
        typeof options.message === 'string'
          ? options.message
          : options.message(removedFiles),
      tree,
      parent: options.parent ? [options.parent] : [],
      author: stamp,
      committer: stamp,
    },
  });
  await compareAndSwapBranch(
    gitdir,
    options.branch,
    options.expectedHead,
    commit,
    options.where,
  );
  return { commit, removedFiles };
}

/**
 * Creates the bare repository with its default branch and one initial commit, if it is not there.
 *
 * @public
 */
export async function ensureBareRepository(
  target: LocalGitTarget,
  gitdir: string,
): Promise<void> {
  if (isLocalRepository(gitdir)) return;
  await fs.promises.mkdir(gitdir, { recursive: true });
  await git.init({
    fs,
    dir: gitdir,
    bare: true,
    defaultBranch: target.defaultBranch,
  });
  await commitLocalFiles(gitdir, {
    branch: target.defaultBranch,
    expectedHead: undefined,
    parent: undefined,
    replace: [],
    files: [
      {
        path: 'README.md',
        mode: '100644',
        content: Buffer.from(
          '# GitOps repository\n\nTenants land under `tenants/<tenant>/` through Backstage.\n',
        ),
      },
    ],
    message: 'Initial commit\n',
    author: target.author,
    where: `${target.host}/${path.relative(target.baseDir, gitdir)}`,
  });
}
