/**
 * What `clearml:gitops:pull-request` lets a template ask for: the tenant's own
 * directory and branch only, never a protected branch, grants config allows,
 * and the repository's own rules for its target (checked before any write).
 */
import { InputError } from '@backstage/errors';
import type {
  GitopsTarget,
  PullRequestSummary,
} from '@clearml-openshift/plugin-clearml-node';
import { defaultBranchName, defaultTargetPath } from './layout';

/** Labels a pull request gets when the template names none. */
export const DEFAULT_PULL_REQUEST_LABELS = ['clearml', 'tenant'];

/** Branches never used as a pull request's work branch unless config says otherwise. */
export const DEFAULT_PROTECTED_BRANCHES = ['main', 'master'];

/** The tenant's own branch and directory: the only ones this action writes for it. */
export function checkTenantScope(
  tenant: string,
  branchName: string,
  targetPath: string,
  targetBranchName: string | undefined,
  protectedBranches: string[],
): void {
  const own = defaultTargetPath(tenant);
  if (targetPath !== own && !targetPath.startsWith(`${own}/`)) {
    throw new InputError(
      `targetPath: must be the tenant's directory ${own} or below it (got ${JSON.stringify(targetPath)})`,
    );
  }
  if (targetBranchName === branchName) {
    throw new InputError(
      `branchName: must differ from targetBranchName (both are ${JSON.stringify(branchName)})`,
    );
  }
  if (protectedBranches.includes(branchName)) {
    throw new InputError(
      `branchName: ${JSON.stringify(branchName)} is a protected branch (clearml.gitops.protectedBranches: ${protectedBranches.join(', ')}); ` +
        `the pull request's work branch is the tenant's own, ${defaultBranchName(tenant)}`,
    );
  }
}

/** A work branch that is the target's default branch, when that is known before any request (local targets). */
export function checkNotTargetBranch(
  target: GitopsTarget,
  branchName: string,
  targetBranchName: string | undefined,
  protectedBranches: string[],
): void {
  if (
    target.defaultBranch !== undefined &&
    targetBranchName === undefined &&
    protectedBranches.concat(target.defaultBranch).includes(branchName)
  ) {
    throw new InputError(
      `branchName: ${JSON.stringify(branchName)} is the target branch of ${target.host}`,
    );
  }
}

/** Grants the summary says are applied must be ones config allows to apply. */
export function checkGrantsAllowed(
  summary: PullRequestSummary,
  allowed: string[],
): void {
  if (!summary.grantsApplied) return;
  summary.sccGrants.forEach((g, i) => {
    if (!allowed.includes(g.scc)) {
      throw new InputError(
        `summary: summary.sccGrants[${i}].scc '${g.scc}' cannot be applied: clearml.scc.allowed is [${allowed.join(', ')}]`,
      );
    }
  });
}

/** A list input: absent is the fallback; anything but non-empty strings is refused. */
export function stringList(
  field: string,
  value: unknown,
  fallback: string[],
): string[] {
  if (value === undefined || value === null) return fallback;
  if (
    !Array.isArray(value) ||
    value.some(v => typeof v !== 'string' || v.trim() === '')
  ) {
    throw new InputError(`${field}: must be a list of non-empty strings`);
  }
  return value;
}
