/**
 * Local git targets (`clearml.gitops.localTargets`): bare repositories on the
 * backend's disk that stand in for a GitHub repository. The pull-request
 * action writes branches into them; the clearml backend serves the tenant's
 * catalog file from them so the catalog can register it before the merge.
 * This file is their config and paths; `local/repository.ts` reads and writes them.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'fs';
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
