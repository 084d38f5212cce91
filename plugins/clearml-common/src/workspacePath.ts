/**
 * Workspace-relative paths a template may name (`targetPath`): normalised,
 * and never leaving the workspace.
 */

/**
 * Normalises a workspace-relative path, refusing absolute paths and any `..`
 * that would leave the workspace. Returns undefined when refused.
 *
 * @public
 */
export function normaliseWorkspacePath(path: string): string | undefined {
  if (
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[A-Za-z]:/.test(path) ||
    path.includes('\0')
  ) {
    return undefined;
  }
  const parts: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.length ? parts.join('/') : '.';
}

/**
 * The rule a workspace path must meet, as refusals state it.
 *
 * @public
 */
export const WORKSPACE_PATH_RULE =
  'must be a relative path that stays inside the workspace (no leading "/", no ".." above it)';
