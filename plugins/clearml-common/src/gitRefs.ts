/**
 * Git's ref-name rules (`git check-ref-format --branch`) for a branch name, so
 * that `refs/heads/<name>` stays below `refs/heads/`: the one validator the
 * pull-request action, the catalog entity renderer and the lifecycle reader use.
 */

/** Space, ASCII control characters (below space) and DEL. */
function hasSpaceOrControlCharacter(value: string): boolean {
  return [...value].some(
    c => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f,
  );
}

/**
 * The first ref-name rule a branch name breaks, or undefined for a name that is a ref under `refs/heads/`.
 *
 * @public
 */
export function branchNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '' || value === '@') return 'must not be empty or "@"';
  if (value.length > 200) return 'must be at most 200 characters';
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    return 'must not start or end with "/" or contain "//"';
  }
  if (value.includes('..')) return 'must not contain ".."';
  if (value.startsWith('-')) return 'must not start with "-"';
  if (
    hasSpaceOrControlCharacter(value) ||
    /[~^:?*[\\]/.test(value) ||
    value.includes('@{')
  ) {
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\ @{';
  }
  if (
    value
      .split('/')
      .some(part => part.startsWith('.') || part.endsWith('.lock')) ||
    value.endsWith('.')
  ) {
    return 'no segment may start with "." or end with ".lock", and the name must not end with "."';
  }
  // `refs/heads/HEAD` and names that read as another ref namespace are not branches a tenant uses.
  if (value === 'HEAD' || /^refs\//.test(value))
    return 'must not be HEAD or start with "refs/"';
  return undefined;
}

/**
 * True for a branch name that stays under `refs/heads/`.
 *
 * @public
 */
export function isBranchName(value: unknown): value is string {
  return branchNameProblem(value) === undefined;
}
