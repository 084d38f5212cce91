/**
 * The input and output schema of `clearml:gitops:pull-request` (zod, as the
 * scaffolder converts it to the JSON schema templates are checked against).
 */
import type { z as zod } from 'zod/v3';
import { pullRequestSummarySchema } from './pullRequestSummary';

export const pullRequestInputSchema = {
  repoUrl: (z: typeof zod) =>
    z
      .string()
      .describe(
        'GitOps repository, RepoUrlPicker form: <host>?owner=<owner>&repo=<repo>',
      ),
  tenant: (z: typeof zod) =>
    z
      .string()
      .describe(
        'Tenant name: a DNS-1123 label that starts with a letter, at most 40 characters',
      ),
  sourcePath: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Workspace directory whose files are put in place (default .)'),
  targetPath: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Repository directory they land in (default tenants/<tenant>)'),
  branchName: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Branch of the pull request (default clearml/<tenant>)'),
  targetBranchName: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        "Branch to merge into (default: the repository's default branch)",
      ),
  title: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'Pull-request title (default "ClearML tenant <tenant> on <cluster>")',
      ),
  description: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe('Pull-request body (default: generated from summary)'),
  summary: (z: typeof zod) =>
    pullRequestSummarySchema(z)
      .optional()
      .describe(
        "What the generated description is made from: the render actions' outputs",
      ),
  reviewers: (z: typeof zod) =>
    z.array(z.string()).optional().describe('Users asked to review'),
  teamReviewers: (z: typeof zod) =>
    z.array(z.string()).optional().describe('Teams (slugs) asked to review'),
  labels: (z: typeof zod) =>
    z.array(z.string()).optional().describe('Labels (default clearml, tenant)'),
  draft: (z: typeof zod) =>
    z.boolean().optional().describe('Open as a draft (default false)'),
  update: (z: typeof zod) =>
    z
      .boolean()
      .optional()
      .describe(
        'Update an existing tenant directory, branch and pull request (default false)',
      ),
  token: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'GitHub or GitLab token to use instead of the integration credentials',
      ),
};

export const pullRequestOutputSchema = {
  remoteUrl: (z: typeof zod) =>
    z
      .string()
      .describe(
        'URL of the pull request (for a local git target: git://<host>/<owner>/<repo>.git#<branch>, never a path on the backend)',
      ),
  pullRequestNumber: (z: typeof zod) =>
    z
      .number()
      .optional()
      .describe(
        'Number of the pull request (GitHub) or iid of the merge request (GitLab)',
      ),
  branchName: (z: typeof zod) =>
    z.string().describe('Branch the files were pushed to'),
  targetBranchName: (z: typeof zod) =>
    z.string().describe('Branch the pull request merges into'),
  targetPath: (z: typeof zod) =>
    z.string().describe('Repository directory of the tenant'),
  files: (z: typeof zod) =>
    z.array(z.string()).describe('Repository paths put in place'),
  commitSha: (z: typeof zod) =>
    z.string().optional().describe('The commit pushed'),
  catalogInfoUrl: (z: typeof zod) =>
    z
      .string()
      .optional()
      .describe(
        'URL of <targetPath>/catalog-info.yaml at the pushed commit, for catalog:register (when the files include it)',
      ),
};
