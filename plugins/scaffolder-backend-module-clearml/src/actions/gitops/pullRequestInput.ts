/**
 * The input of `clearml:gitops:pull-request` read into what a run uses: every
 * rule and default applied, each refusal an InputError naming its field, all
 * before any request (the scaffolder itself checks only the JSON schema).
 */
import { InputError } from '@backstage/errors';
import {
  parseTenantSettings,
  TENANT_CATALOG_FILE,
  TENANT_SETTINGS_FILE,
  tenantNameProblem,
} from '@clearml-openshift/plugin-clearml-common';
import {
  PullRequestSummary,
  RepositoryFile,
  tenantCatalogInfoProblem,
} from '@clearml-openshift/plugin-clearml-node';
import { strayCatalogEntityProblem } from './catalogFiles';
import {
  defaultBranchName,
  defaultTargetPath,
  validateBranchName,
  validateRepositoryPath,
} from './layout';
import {
  checkGrantsAllowed,
  checkTenantScope,
  DEFAULT_PULL_REQUEST_LABELS,
  stringList,
} from './pullRequestPolicy';
import { parsePullRequestSummary } from './pullRequestSummary';

/** The action's input as the scaffolder hands it over. */
export interface PullRequestInput {
  tenant: string;
  targetPath?: string;
  branchName?: string;
  targetBranchName?: string;
  description?: string;
  summary?: unknown;
  labels?: unknown;
  reviewers?: unknown;
  teamReviewers?: unknown;
}

/** What a run writes, for which tenant, and how the pull request is made. */
export interface PullRequestPlan {
  tenant: string;
  targetPath: string;
  branchName: string;
  targetBranchName: string | undefined;
  /** Undefined when the template gives the description itself. */
  summary: PullRequestSummary | undefined;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
}

export function readPullRequestInput(
  input: PullRequestInput,
  policy: { protectedBranches: string[]; allowedSccs: string[] },
): PullRequestPlan {
  const tenantProblem = tenantNameProblem(input.tenant);
  if (tenantProblem) throw new InputError(tenantProblem);
  const tenant = input.tenant;
  const targetPath = validateRepositoryPath(
    'targetPath',
    input.targetPath ?? defaultTargetPath(tenant),
  );
  const branchName = validateBranchName(
    'branchName',
    input.branchName ?? defaultBranchName(tenant),
  );
  const targetBranchName =
    input.targetBranchName !== undefined
      ? validateBranchName('targetBranchName', input.targetBranchName)
      : undefined;
  checkTenantScope(
    tenant,
    branchName,
    targetPath,
    targetBranchName,
    policy.protectedBranches,
  );
  const summary =
    input.description === undefined
      ? parsePullRequestSummary(input.summary)
      : undefined;
  if (summary) checkGrantsAllowed(summary, policy.allowedSccs);
  return {
    tenant,
    targetPath,
    branchName,
    targetBranchName,
    summary,
    labels: stringList('labels', input.labels, DEFAULT_PULL_REQUEST_LABELS),
    reviewers: stringList('reviewers', input.reviewers, []),
    teamReviewers: stringList('teamReviewers', input.teamReviewers, []),
  };
}

/** The file catalog:register reads from the commit is exactly this tenant's one Resource, and nothing else is one. */
export function checkCatalogFiles(
  files: RepositoryFile[],
  tenant: string,
  targetPath: string,
): void {
  const catalogFile = files.find(
    f => f.path === `${targetPath}/${TENANT_CATALOG_FILE}`,
  );
  const catalogProblem =
    catalogFile &&
    tenantCatalogInfoProblem(catalogFile.content.toString('utf8'), tenant);
  if (catalogProblem) {
    throw new InputError(
      `sourcePath: ${TENANT_CATALOG_FILE} ${catalogProblem}; it is what the catalog registers for tenant ${tenant}`,
    );
  }
  const strayEntity = strayCatalogEntityProblem(
    files,
    `${defaultTargetPath(tenant)}/${TENANT_CATALOG_FILE}`,
  );
  if (strayEntity) throw new InputError(`sourcePath: ${strayEntity}`);
}

/**
 * The settings record the pull request carries, if any, is a valid record of this tenant: the day-2 actions start
 * from it once it is merged, so a malformed or another tenant's record is refused before anything is pushed.
 */
export function checkSettingsRecord(
  files: RepositoryFile[],
  tenant: string,
  targetPath: string,
): void {
  const record = files.find(
    f => f.path === `${targetPath}/${TENANT_SETTINGS_FILE}`,
  );
  if (!record) return;
  const parsed = parseTenantSettings(record.content.toString('utf8'));
  if ('problems' in parsed) {
    throw new InputError(
      `sourcePath: ${TENANT_SETTINGS_FILE} is not a valid settings record: ${parsed.problems.join('; ')}`,
    );
  }
  if (parsed.settings.tenant !== tenant) {
    throw new InputError(
      `sourcePath: ${TENANT_SETTINGS_FILE} is the settings record of tenant ${parsed.settings.tenant}, not of tenant ${tenant}`,
    );
  }
}
