/**
 * Local git targets (`clearml.gitops.localTargets`): bare repositories on the
 * backend's disk that stand in for a GitHub repository. The pull-request
 * action writes branches into them; the clearml backend serves the tenant's
 * catalog file from them so the catalog can register it before the merge.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';

/** @public */
export interface LocalGitTarget {
  /** The host part of `repoUrl` (`<host>?owner=&repo=`) that selects this target. */
  host: string;
  /** Directory of the bare repositories: `<baseDir>/<owner>/<repo>.git`. */
  baseDir: string;
  /** Branch of a repository the target creates, and the default target branch. */
  defaultBranch: string;
  /** `<owner>/<repo>` pairs the action may create when missing; nothing else is ever created (default none). */
  repositories?: string[];
  author: { name: string; email: string };
}

const DEFAULT_AUTHOR = { name: 'Backstage', email: 'backstage@localhost' };

/**
 * Reads `clearml.gitops.localTargets`; relative `baseDir`s are taken from the backend's working directory.
 *
 * @public
 */
export function readLocalGitTargets(config: Config): LocalGitTarget[] {
  return (
    config.getOptionalConfigArray('clearml.gitops.localTargets') ?? []
  ).map(target => ({
    host: target.getString('host'),
    baseDir: path.resolve(target.getString('baseDir')),
    defaultBranch: target.getOptionalString('defaultBranch') ?? 'main',
    repositories: target.getOptionalStringArray('repositories') ?? [],
    author: {
      name: target.getOptionalString('author.name') ?? DEFAULT_AUTHOR.name,
      email: target.getOptionalString('author.email') ?? DEFAULT_AUTHOR.email,
    },
  }));
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * The bare repository `repoUrl` names under this target.
 *
 * @public
 */
export function localRepositoryPath(
  target: LocalGitTarget,
  owner: string,
  repo: string,
): string {
  for (const [field, value] of [
    ['owner', owner],
    ['repo', repo],
  ] as const) {
    if (!NAME.test(value) || value.endsWith('.git') || value.includes('..')) {
      throw new InputError(
        `repoUrl: ${field} must be letters, digits, '.', '_' or '-' (no '/', no '..', no '.git' suffix) for a local git target (got ${JSON.stringify(value)})`,
      );
    }
  }
  return path.join(target.baseDir, owner, `${repo}.git`);
}

/**
 * The bare repository a pull request may write to: one that exists, or one
 * the target's config lists (`repositories`), which is created on first use.
 * Any other owner/repo is refused before anything is created on disk.
 *
 * @public
 */
export function writableLocalRepository(
  target: LocalGitTarget,
  owner: string,
  repo: string,
): { gitdir: string; exists: boolean } {
  const gitdir = localRepositoryPath(target, owner, repo);
  const exists = fs.existsSync(path.join(gitdir, 'config'));
  const creatable = target.repositories ?? [];
  if (!exists && !creatable.includes(`${owner}/${repo}`)) {
    throw new InputError(
      `repoUrl: repository ${owner}/${repo} does not exist on local git target ${target.host}, and only the repositories ` +
        `listed in its clearml.gitops.localTargets[].repositories (${creatable.join(', ') || 'none'}) may be created`,
    );
  }
  return { gitdir, exists };
}

/** isomorphic-git's errors for a SHA or path that names no file at a commit. */
const NOT_A_FILE_AT_A_COMMIT = [
  'NotFoundError',
  'ObjectTypeError',
  'InvalidOidError',
  'InvalidFilepathError',
];

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
  if (!fs.existsSync(path.join(gitdir, 'config'))) return undefined;
  try {
    // A commit only: readBlob would also walk a tree SHA.
    await git.readCommit({ fs, gitdir, oid: ref.commit });
    const { blob } = await git.readBlob({
      fs,
      gitdir,
      oid: ref.commit,
      filepath: ref.path,
    });
    return Buffer.from(blob);
  } catch (error) {
    // Not there, or not a file at a commit (a blob or tree SHA, a path through a file): nothing to serve.
    if (NOT_A_FILE_AT_A_COMMIT.includes((error as Error).name))
      return undefined;
    throw error;
  }
}

/**
 * Author and committer of commits written into a local target, stamped now.
 *
 * @public
 */
export function gitSignature(target: LocalGitTarget) {
  return {
    ...target.author,
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
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
  if (fs.existsSync(path.join(gitdir, 'config'))) return;
  await fs.promises.mkdir(gitdir, { recursive: true });
  await git.init({
    fs,
    dir: gitdir,
    bare: true,
    defaultBranch: target.defaultBranch,
  });
  const readme = await git.writeBlob({
    fs,
    gitdir,
    blob: Buffer.from(
      '# GitOps repository\n\nTenants land under `tenants/<tenant>/` through Backstage.\n',
    ),
  });
  const tree = await git.writeTree({
    fs,
    gitdir,
    tree: [{ mode: '100644', path: 'README.md', oid: readme, type: 'blob' }],
  });
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      message: 'Initial commit\n',
      tree,
      parent: [],
      author: gitSignature(target),
      committer: gitSignature(target),
    },
  });
  await git.writeRef({
    fs,
    gitdir,
    ref: `refs/heads/${target.defaultBranch}`,
    value: commit,
  });
}
