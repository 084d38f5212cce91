/**
 * Where the workspace's files land in the GitOps repository, and the rules for
 * the paths and branch names a template may ask for.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { serializeDirectoryContents } from '@backstage/plugin-scaffolder-node';
import {
  branchNameProblem,
  tenantBranchName,
  tenantDirectory,
} from '@clearml-openshift/plugin-clearml-common';

import type {
  GitFileMode,
  RepositoryFile,
} from '@clearml-openshift/plugin-clearml-node';

/** The tenant's directory in the GitOps repository when the template names none. */
export function defaultTargetPath(tenant: string): string {
  return tenantDirectory(tenant);
}

/** The branch the pull request comes from when the template names none. */
export function defaultBranchName(tenant: string): string {
  return tenantBranchName(tenant);
}

/**
 * A repository directory: relative, no `..`, `.` or empty segments, no `.git`.
 * Returns the path without a trailing slash, or throws an InputError naming `field`.
 */
export function validateRepositoryPath(field: string, value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  const problem = repositoryPathProblem(value, trimmed);
  if (problem)
    throw new InputError(`${field}: ${problem} (got ${JSON.stringify(value)})`);
  return trimmed;
}

/** The first rule `value` (and its form without trailing slashes, `trimmed`) breaks, if any. */
function repositoryPathProblem(
  value: string,
  trimmed: string,
): string | undefined {
  const segments = trimmed.split('/');
  if (trimmed === '' || trimmed === '.') {
    return 'must name a directory below the repository root (the repository root itself would hold every tenant)';
  }
  if (value.startsWith('/'))
    return 'must be relative to the repository root (no leading "/")';
  if (segments.some(s => s === '..' || s === '.' || s === ''))
    return 'must not contain "..", "." or empty segments';
  if (segments.some(s => s.toLowerCase() === '.git'))
    return 'must not point into ".git"';
  if (/[\0\\\r\n]/.test(trimmed))
    return 'must not contain backslashes or control characters';
  return undefined;
}

/** Git's ref-name rules (`git check-ref-format --branch`), so a branch name cannot escape `refs/heads/`. */
export function validateBranchName(field: string, value: string): string {
  const problem = branchNameProblem(value);
  if (problem)
    throw new InputError(`${field}: ${problem} (got ${JSON.stringify(value)})`);
  return value;
}

/** Git's mode for a workspace file: symlink, executable or plain. */
function gitFileMode(file: {
  symlink?: boolean;
  executable?: boolean;
}): GitFileMode {
  if (file.symlink) return '120000';
  if (file.executable) return '100755';
  return '100644';
}

/** Reads the files below `sourcePath` in the workspace and places them under `targetPath`, modes kept. */
export async function collectRepositoryFiles(
  workspacePath: string,
  sourcePath: string,
  targetPath: string,
): Promise<RepositoryFile[]> {
  let sourceDir: string;
  try {
    sourceDir = resolveSafeChildPath(workspacePath, sourcePath);
  } catch {
    throw new InputError(
      `sourcePath: must stay inside the workspace (got ${JSON.stringify(sourcePath)})`,
    );
  }
  const files = await serializeDirectoryContents(sourceDir, {
    gitignore: true,
  }).catch(error => {
    throw new InputError(
      `sourcePath: cannot read ${JSON.stringify(sourcePath)} in the workspace: ${error.message}`,
    );
  });
  if (files.length === 0) {
    throw new InputError(
      `sourcePath: ${JSON.stringify(sourcePath)} holds no files to put in the repository`,
    );
  }
  return files
    .map(file => ({
      path: `${targetPath}/${file.path}`,
      content: file.content,
      mode: gitFileMode(file),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
