/**
 * `clearml:gitops:pull-request`: puts a tenant's rendered files under
 * `tenants/<tenant>/` of the GitOps repository on branch `clearml/<tenant>` and
 * opens the pull request a platform engineer approves from: its description
 * states the tenant, hosts, SCC grants, departures from the vendor docs and
 * what to check. This file is the action's input, policy and orchestration;
 * the repository's targets (GitHub and GitHub Enterprise pull requests and
 * GitLab merge requests through Backstage's integrations, local bare
 * repositories) and their writes are clearml-node's GitOps module.
 */
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  createGithubClientFactory,
  githubWriterOf,
  createGitlabClientFactory,
  GitlabClientFactory,
  defaultPullRequestTitle,
  GitopsChange,
  GitopsClientFactory,
  GitopsPublishResult,
  GitopsTarget,
  kubernetesClientFactory,
  KubernetesClientFactory,
  readGitopsRepositories,
  readLocalGitTargets,
  renderPullRequestDescription,
  resolveGitopsTarget,
} from '@clearml-openshift/plugin-clearml-node';
import { allowedSccs } from './cluster/tenantPreflight';
import { existingTenantOf } from './gitops/pullRequestPreflight';
import { examples } from './gitopsPullRequest.examples';
import { collectRepositoryFiles } from './gitops/layout';
import {
  checkNotTargetBranch,
  DEFAULT_PROTECTED_BRANCHES,
} from './gitops/pullRequestPolicy';
import {
  checkCatalogFiles,
  checkSettingsRecord,
  readPullRequestInput,
} from './gitops/pullRequestInput';
import {
  pullRequestInputSchema,
  pullRequestOutputSchema,
} from './gitops/pullRequestSchema';
import { tenantCatalogInfoUrl } from './gitops/catalogInfoUrl';
import { inMemoryTenantLeases, TenantLeases } from './gitops/tenantLease';
import {
  refuseSquattedTenant,
  TenantCatalogAccess,
} from './catalog/tenantCatalog';

export {
  DEFAULT_PROTECTED_BRANCHES,
  DEFAULT_PULL_REQUEST_LABELS,
} from './gitops/pullRequestPolicy';

/**
 * The id of the action that opens a tenant's GitOps pull request (`createClearmlGitopsPullRequestAction`).
 *
 * @public
 */
export const GITOPS_PULL_REQUEST_ACTION_ID = 'clearml:gitops:pull-request';

/**
 * Options of `createClearmlGitopsPullRequestAction`: the SCM integrations and config it reads, and the clients it
 * uses (each with a production default).
 *
 * @public
 */
export interface ClearmlGitopsPullRequestActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  /** Makes the GitHub client; default: Octokit with the create-pull-request plugin, through the integrations. */
  clientFactory?: GitopsClientFactory;
  /** Makes the GitLab client; default: gitbeaker (`@gitbeaker/rest`) against the integration's apiBaseUrl. */
  gitlabClientFactory?: GitlabClientFactory;
  /**
   * Base URL of the clearml backend (`.../api/clearml`), whose read-only
   * local-git route serves a local target's catalog file to the catalog.
   * Without it, local targets output no `catalogInfoUrl`.
   */
  clearmlBaseUrl?: () => Promise<string>;
  /** Builds the Kubernetes clients of the preflight; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
  /**
   * One run per tenant at a time: the module passes leases in Backstage's database (shared by every replica);
   * default: leases in this process only.
   */
  tenantLeases?: TenantLeases;
  /** The catalog, to refuse a tenant whose entity ref is taken by an entity from elsewhere (squatting). */
  tenantCatalog?: TenantCatalogAccess;
}

/**
 * `clearml:gitops:pull-request`: puts the rendered files under the tenant's directory on branch `clearml/<tenant>`
 * of the GitOps repository and opens a pull request whose description a platform engineer can approve from (GitHub,
 * GitHub Enterprise, or a local bare repository of `clearml.gitops.localTargets`).
 *
 * @public
 */
export function createClearmlGitopsPullRequestAction(
  options: ClearmlGitopsPullRequestActionOptions,
) {
  const { integrations, config } = options;
  const clientFactory = options.clientFactory ?? createGithubClientFactory();
  const gitlabClientFactory =
    options.gitlabClientFactory ?? createGitlabClientFactory();
  const credentialsProvider =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const localTargets = readLocalGitTargets(config);
  const protectedBranches =
    config.getOptionalStringArray('clearml.gitops.protectedBranches') ??
    DEFAULT_PROTECTED_BRANCHES;
  const kubeClientFactory =
    options.kubernetesClientFactory ?? kubernetesClientFactory();
  const leases = options.tenantLeases ?? inMemoryTenantLeases();
  const repositories = readGitopsRepositories(config);

  return createTemplateAction({
    id: GITOPS_PULL_REQUEST_ACTION_ID,
    description:
      "Opens the GitOps pull request of a ClearML tenant: the workspace's sourcePath lands under tenants/<tenant>/ " +
      'on branch clearml/<tenant>, with a description a platform engineer can approve from. Refuses to overwrite ' +
      'an existing tenant directory unless update is true.',
    examples,
    supportsDryRun: true,
    schema: {
      input: pullRequestInputSchema,
      output: pullRequestOutputSchema,
    },
    async handler(ctx) {
      const input = ctx.input;
      const plan = readPullRequestInput(input, {
        protectedBranches,
        allowedSccs: allowedSccs(config),
      });
      const { tenant, targetPath, branchName, targetBranchName, summary } =
        plan;
      const target = resolveGitopsTarget(input.repoUrl, {
        integrations,
        localTargets,
        repositories,
        githubWriter: githubWriterOf({
          clientFactory,
          integrations,
          credentialsProvider,
          token: input.token,
        }),
        gitlabClients: gitlabClientFactory,
        token: input.token,
      });
      checkNotTargetBranch(
        target,
        branchName,
        targetBranchName,
        protectedBranches,
      );
      const files = await collectRepositoryFiles(
        ctx.workspacePath,
        input.sourcePath ?? '.',
        targetPath,
      );
      const paths = files.map(f => f.path);
      checkCatalogFiles(files, tenant, targetPath);
      checkSettingsRecord(files, tenant, targetPath);
      // The tenant's entity ref must be free, or this tenant's own from this repository (before anything is written).
      if (options.tenantCatalog)
        await refuseSquattedTenant(options.tenantCatalog, tenant, target);
      // Preflight, before the first write: the repository may be written, the cluster answers and the namespace is the tenant's.
      target.preflight();
      const existingTenant = summary
        ? await existingTenantOf({
            config,
            clientFactory: kubeClientFactory,
            tenant,
            summary,
          })
        : undefined;

      const title =
        input.title ??
        (summary
          ? defaultPullRequestTitle(tenant, summary.cluster)
          : `ClearML tenant ${tenant}`);
      const change: GitopsChange = {
        host: target.host,
        owner: target.owner,
        repo: target.repo,
        branchName,
        targetBranchName,
        targetPath,
        files,
        title,
        description: removedFiles =>
          input.description ??
          renderPullRequestDescription({
            tenant,
            summary: summary!,
            targetPath,
            files: paths,
            removedFiles,
          }),
        commitMessage: `${title}\n\nFiles of ClearML tenant ${tenant} in ${targetPath}/, by Backstage.`,
        labels: plan.labels,
        reviewers: plan.reviewers,
        teamReviewers: plan.teamReviewers,
        draft: input.draft ?? false,
        update: input.update ?? false,
        existingTenant,
      };
      const where = `${target.host}/${target.owner}/${target.repo}`;

      if (ctx.isDryRun) {
        // No request at all: show what a real run would push and the description the reviewer would read.
        const dryRun = target.dryRun(branchName);
        const pathList = paths.map(p => `  ${p}`).join('\n');
        ctx.logger.info(
          `Dry run: would push ${files.length} files to ${targetPath}/ on branch ${branchName} of ${where}` +
            `${dryRun.note}:\n${pathList}`,
        );
        ctx.logger.info(
          `Pull request "${title}":\n\n${change.description([])}`,
        );
        ctx.output('remoteUrl', dryRun.remoteUrl);
        ctx.output('branchName', branchName);
        ctx.output(
          'targetBranchName',
          targetBranchName ?? target.defaultBranch ?? '(default branch)',
        );
        ctx.output('targetPath', targetPath);
        ctx.output('files', paths);
        return;
      }

      const log = (message: string) => ctx.logger.info(message);
      // A retried task returns the first run's result instead of pushing and opening a second pull request.
      const result = await ctx.checkpoint({
        key: `clearml.gitops.pull-request.${where}.${branchName}`,
        fn: async () => {
          // One run per tenant at a time (also across replicas): a concurrent run fails here, before any push.
          const release = await leases.acquire(
            tenant,
            ctx.task?.id ?? 'unknown-task',
          );
          try {
            return await publish(target, change, log);
          } finally {
            await release();
          }
        },
      });

      ctx.output('remoteUrl', result.remoteUrl);
      if (result.pullRequestNumber !== undefined)
        ctx.output('pullRequestNumber', result.pullRequestNumber);
      ctx.output('branchName', branchName);
      ctx.output('targetBranchName', result.targetBranchName);
      ctx.output('targetPath', targetPath);
      ctx.output('files', paths);
      if (result.commitSha) ctx.output('commitSha', result.commitSha);
      const catalogInfoUrl = await tenantCatalogInfoUrl({
        target,
        targetPath,
        files: paths,
        commit: result.commitSha,
        clearmlBaseUrl: options.clearmlBaseUrl,
      });
      if (catalogInfoUrl) ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}

/** Publishes through the target and says what left the tenant's directory; the result as checkpoints keep it. */
async function publish(
  target: GitopsTarget,
  change: GitopsChange,
  log: (message: string) => void,
): Promise<GitopsPublishResult> {
  const published = await target.publish(change, log);
  if (published.removedFiles.length) {
    log(
      `Removed from ${change.targetPath}/ (no longer rendered): ${published.removedFiles.join(', ')}`,
    );
  }
  // Checkpoint values are JSON: drop undefined fields.
  return JSON.parse(JSON.stringify(published)) as GitopsPublishResult;
}
