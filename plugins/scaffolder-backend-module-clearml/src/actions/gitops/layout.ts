/**
 * Where the workspace's files land in the GitOps repository, and the rules for
 * the paths and branch names a template may ask for.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { serializeDirectoryContents } from '@backstage/plugin-scaffolder-node';

/** Git tree modes the action writes. */
export type GitFileMode = '100644' | '100755' | '120000';

/** A file as it will be committed: repository path, bytes, mode. */
export interface RepositoryFile {
  path: string;
  content: Buffer;
  mode: GitFileMode;
}

/** The tenant's directory in the GitOps repository when the template names none. */
export function defaultTargetPath(tenant: string): string {
  return `tenants/${tenant}`;
}

/** The branch the pull request comes from when the template names none. */
export function defaultBranchName(tenant: string): string {
  return `clearml/${tenant}`;
}

/**
 * A repository directory: relative, no `..`, `.` or empty segments, no `.git`.
 * Returns the path without a trailing slash, or throws an InputError naming `field`.
 */
export function validateRepositoryPath(field: string, value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  const segments = trimmed.split('/');
  const problem =
    trimmed === '' || trimmed === '.'
      ? 'must name a directory below the repository root (the repository root itself would hold every tenant)'
      : value.startsWith('/')
        ? 'must be relative to the repository root (no leading "/")'
        : segments.some(s => s === '..' || s === '.' || s === '')
          ? 'must not contain "..", "." or empty segments'
          : segments.some(s => s.toLowerCase() === '.git')
            ? 'must not point into ".git"'
            : /[\0\\\r\n]/.test(trimmed)
              ? 'must not contain backslashes or control characters'
              : undefined;
  if (problem) throw new InputError(`${field}: ${problem} (got ${JSON.stringify(value)})`);
  return trimmed;
}

/** Git's ref-name rules (`git check-ref-format --branch`), so a branch name cannot escape `refs/heads/`. */
export function validateBranchName(field: string, value: string): string {
  const problem =
    value === '' || value === '@'
      ? 'must not be empty or "@"'
      : value.startsWith('/') || value.endsWith('/') || value.includes('//')
        ? 'must not start or end with "/" or contain "//"'
        : value.includes('..')
          ? 'must not contain ".."'
          : value.startsWith('-')
            ? 'must not start with "-"'
            : /[\x00-\x20\x7f~^:?*[\\]/.test(value) || value.includes('@{')
              ? 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\ @{'
              : value.split('/').some(part => part.startsWith('.') || part.endsWith('.lock')) || value.endsWith('.')
                ? 'no segment may start with "." or end with ".lock", and the name must not end with "."'
                : undefined;
  if (problem) throw new InputError(`${field}: ${problem} (got ${JSON.stringify(value)})`);
  return value;
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
    throw new InputError(`sourcePath: must stay inside the workspace (got ${JSON.stringify(sourcePath)})`);
  }
  const files = await serializeDirectoryContents(sourceDir, { gitignore: true }).catch(error => {
    throw new InputError(`sourcePath: cannot read ${JSON.stringify(sourcePath)} in the workspace: ${error.message}`);
  });
  if (files.length === 0) {
    throw new InputError(`sourcePath: ${JSON.stringify(sourcePath)} holds no files to put in the repository`);
  }
  return files
    .map(file => ({
      path: `${targetPath}/${file.path}`,
      content: file.content,
      mode: (file.symlink ? '120000' : file.executable ? '100755' : '100644') as GitFileMode,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
