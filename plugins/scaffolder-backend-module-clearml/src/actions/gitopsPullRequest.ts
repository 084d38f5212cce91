/**
 * `clearml:gitops:pull-request`: puts a tenant's rendered files under
 * `tenants/<tenant>/` of the GitOps repository on branch `clearml/<tenant>` and
 * opens the pull request a platform engineer approves from: its description
 * states the tenant, hosts, SCC grants, departures from the vendor docs and
 * what to check. GitHub and GitHub Enterprise (pull requests) and GitLab
 * (merge requests) through Backstage's integrations; configured local git
 * targets get the branch pushed into a bare repository.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  isDns1123Label,
  TENANT_CATALOG_FILE,
} from '@clearml-openshift/plugin-clearml-common';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { tenantNameProblem } from '@clearml-openshift/plugin-clearml-common';
import {
  createGitlabClientFactory,
  GitlabClientFactory,
  defaultPullRequestTitle,
  kubernetesClientFactory,
  KubernetesClientFactory,
  PullRequestSummary,
  renderPullRequestDescription,
  tenantCatalogInfoProblem,
  writableLocalRepository,
} from '@clearml-openshift/plugin-clearml-node';
import {
  allowedSccs,
  configuredCluster,
  tenantPreflight,
} from './cluster/tenantPreflight';
import { examples } from './gitopsPullRequest.examples';
import { gitopsSummarySchema } from './gitops/gitopsSummarySchema';
import {
  createGithubClientFactory,
  GitopsClientFactory,
} from './gitops/githubClient';
import { publishToGithub } from './gitops/githubPublisher';
import { publishToGitlab } from './gitops/gitlabPublisher';
import {
  collectRepositoryFiles,
  defaultBranchName,
  defaultTargetPath,
  validateBranchName,
  validateRepositoryPath,
} from './gitops/layout';
import {
  readGitopsRepositories,
  readLocalGitTargets,
} from '@clearml-openshift/plugin-clearml-node';
import { publishToLocalGit } from './gitops/localGitTarget';
import {
  GitopsChange,
  GitopsPublishResult,
  localRemoteUrl,
} from './gitops/publishing';
import { resolveRepoTarget } from './gitops/repoTarget';
import { tenantCatalogInfoUrl } from './gitops/catalogInfoUrl';
import { strayCatalogEntityProblem } from './gitops/catalogFiles';
import { inMemoryTenantLeases, TenantLeases } from './gitops/tenantLease';
import {
  refuseSquattedTenant,
  TenantCatalogAccess,
} from './catalog/tenantCatalog';

/**
 * The id of the action that opens a tenant's GitOps pull request (`createClearmlGitopsPullRequestAction`).
 *
 * @public
 */
export const GITOPS_PULL_REQUEST_ACTION_ID = 'clearml:gitops:pull-request';

/** Labels a pull request gets when the template names none. */
export const DEFAULT_PULL_REQUEST_LABELS = ['clearml', 'tenant'];

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

/** Branches never used as a pull request's work branch unless config says otherwise. */
export const DEFAULT_PROTECTED_BRANCHES = ['main', 'master'];

/** The tenant's own branch and directory: the only ones this action writes for it. */
function checkTenantScope(
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

/** Grants in the summary are shown to a reviewer and may be applied: names only, no text. */
function checkSummaryGrants(
  summary: PullRequestSummary,
  allowed: string[],
): void {
  summary.sccGrants.forEach((g, i) => {
    if (!isDns1123Label(g.serviceAccount)) {
      throw new InputError(
        `summary: summary.sccGrants[${i}].serviceAccount must be a ServiceAccount name (got ${JSON.stringify(g.serviceAccount)})`,
      );
    }
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(g.scc)) {
      throw new InputError(
        `summary: summary.sccGrants[${i}].scc must be an SCC name (got ${JSON.stringify(g.scc)})`,
      );
    }
    if (summary.grantsApplied && !allowed.includes(g.scc)) {
      throw new InputError(
        `summary: summary.sccGrants[${i}].scc '${g.scc}' cannot be applied: clearml.scc.allowed is [${allowed.join(', ')}]`,
      );
    }
  });
}

function stringList(
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

/** The summary is what the generated description is made from: refuse one it cannot be made from. */
function checkSummary(summary: unknown): PullRequestSummary {
  const s = summary as PullRequestSummary | undefined;
  if (!s || typeof s !== 'object') {
    throw new InputError(
      'summary: is required unless description is given (the description is generated from it)',
    );
  }
  const missing = [
    ...(['cluster', 'namespace', 'edition', 'securityProfile'] as const).filter(
      k => typeof s[k] !== 'string' || !s[k],
    ),
    ...(['api', 'files', 'web'] as const)
      .filter(k => typeof s.hosts?.[k] !== 'string')
      .map(k => `hosts.${k}`),
    ...(Array.isArray(s.sccGrants) ? [] : ['sccGrants']),
  ];
  if (missing.length)
    throw new InputError(
      `summary: missing ${missing.map(m => `summary.${m}`).join(', ')}`,
    );
  s.sccGrants.forEach((g, i) => {
    if (
      !g ||
      typeof g.scc !== 'string' ||
      typeof g.serviceAccount !== 'string' ||
      typeof g.reason !== 'string' ||
      !g.reason.trim()
    ) {
      throw new InputError(
        `summary: summary.sccGrants[${i}] needs scc, serviceAccount and a reason a reviewer can judge`,
      );
    }
  });
  return s;
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
  const gitopsRepositories = readGitopsRepositories(config);

  return createTemplateAction({
    id: GITOPS_PULL_REQUEST_ACTION_ID,
    description:
      "Opens the GitOps pull request of a ClearML tenant: the workspace's sourcePath lands under tenants/<tenant>/ " +
      'on branch clearml/<tenant>, with a description a platform engineer can approve from. Refuses to overwrite ' +
      'an existing tenant directory unless update is true.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'GitOps repository, RepoUrlPicker form: <host>?owner=<owner>&repo=<repo>',
            ),
        tenant: z =>
          z
            .string()
            .describe(
              'Tenant name: a DNS-1123 label that starts with a letter, at most 40 characters',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory whose files are put in place (default .)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Repository directory they land in (default tenants/<tenant>)',
            ),
        branchName: z =>
          z
            .string()
            .optional()
            .describe('Branch of the pull request (default clearml/<tenant>)'),
        targetBranchName: z =>
          z
            .string()
            .optional()
            .describe(
              "Branch to merge into (default: the repository's default branch)",
            ),
        title: z =>
          z
            .string()
            .optional()
            .describe(
              'Pull-request title (default "ClearML tenant <tenant> on <cluster>")',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe('Pull-request body (default: generated from summary)'),
        summary: z =>
          z
            .object({
              cluster: z.string(),
              namespace: z.string(),
              edition: z.string(),
              securityProfile: z.string(),
              hosts: z.object({
                api: z.string(),
                files: z.string(),
                web: z.string(),
                appGateway: z.string().optional(),
              }),
              sccGrants: z.array(
                z.object({
                  scc: z.string(),
                  serviceAccount: z.string(),
                  reason: z.string(),
                }),
              ),
              deviations: z.array(z.string()).optional(),
              grantsApplied: z.boolean().optional(),
              images: z
                .object({
                  registry: z.string().optional(),
                  pullSecret: z.string().optional(),
                  references: z.array(z.string()),
                  replaced: z.array(
                    z.object({
                      from: z.string(),
                      to: z.string(),
                      sources: z.array(z.string()),
                    }),
                  ),
                })
                .optional()
                .describe(
                  "What the tenant pulls: clearml:values:render's images output",
                ),
              storageClassName: z
                .string()
                .optional()
                .describe(
                  "The StorageClass every claim names: clearml:values:render's output",
                ),
              gitops: gitopsSummarySchema(z)
                .optional()
                .describe(
                  "What merging deploys: clearml:argocd:render's summary output",
                ),
            })
            .optional()
            .describe(
              "What the generated description is made from: the render actions' outputs",
            ),
        reviewers: z =>
          z.array(z.string()).optional().describe('Users asked to review'),
        teamReviewers: z =>
          z
            .array(z.string())
            .optional()
            .describe('Teams (slugs) asked to review'),
        labels: z =>
          z
            .array(z.string())
            .optional()
            .describe('Labels (default clearml, tenant)'),
        draft: z =>
          z.boolean().optional().describe('Open as a draft (default false)'),
        update: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Update an existing tenant directory, branch and pull request (default false)',
            ),
        token: z =>
          z
            .string()
            .optional()
            .describe(
              'GitHub or GitLab token to use instead of the integration credentials',
            ),
      },
      output: {
        remoteUrl: z =>
          z
            .string()
            .describe(
              'URL of the pull request (for a local git target: git://<host>/<owner>/<repo>.git#<branch>, never a path on the backend)',
            ),
        pullRequestNumber: z =>
          z
            .number()
            .optional()
            .describe(
              'Number of the pull request (GitHub) or iid of the merge request (GitLab)',
            ),
        branchName: z => z.string().describe('Branch the files were pushed to'),
        targetBranchName: z =>
          z.string().describe('Branch the pull request merges into'),
        targetPath: z =>
          z.string().describe('Repository directory of the tenant'),
        files: z =>
          z.array(z.string()).describe('Repository paths put in place'),
        commitSha: z => z.string().optional().describe('The commit pushed'),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'URL of <targetPath>/catalog-info.yaml at the pushed commit, for catalog:register (when the files include it)',
            ),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      // The scaffolder only checks the JSON schema: every rule and default is applied here, before any request.
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
        protectedBranches,
      );
      const summary =
        input.description === undefined
          ? checkSummary(input.summary)
          : undefined;
      if (summary) checkSummaryGrants(summary, allowedSccs(config));
      const labels = stringList(
        'labels',
        input.labels,
        DEFAULT_PULL_REQUEST_LABELS,
      );
      const reviewers = stringList('reviewers', input.reviewers, []);
      const teamReviewers = stringList(
        'teamReviewers',
        input.teamReviewers,
        [],
      );
      const target = resolveRepoTarget(
        input.repoUrl,
        integrations,
        localTargets,
      );
      // Only a tenant file in a listed repository makes a tenant (tenantAnchorOf): refuse to create one elsewhere.
      if (
        target.kind !== 'local' &&
        gitopsRepositories.length &&
        !gitopsRepositories.some(
          r =>
            r.host.toLowerCase() === target.host.toLowerCase() &&
            r.owner.toLowerCase() === target.owner.toLowerCase() &&
            r.repo.toLowerCase() === target.repo.toLowerCase(),
        )
      ) {
        throw new InputError(
          `repoUrl: ${target.host}/${target.owner}/${target.repo} is not one of the GitOps repositories tenants live in ` +
            `(clearml.gitops.repositories: ${gitopsRepositories.map(r => `${r.host}/${r.owner}/${r.repo}`).join(', ')}); ` +
            'a tenant registered from it would never be recognised',
        );
      }
      if (
        target.kind === 'local' &&
        targetBranchName === undefined &&
        protectedBranches
          .concat(target.target.defaultBranch)
          .includes(branchName)
      ) {
        throw new InputError(
          `branchName: ${JSON.stringify(branchName)} is the target branch of ${target.host}`,
        );
      }
      const files = await collectRepositoryFiles(
        ctx.workspacePath,
        input.sourcePath ?? '.',
        targetPath,
      );
      const paths = files.map(f => f.path);
      // The file catalog:register reads from this commit: exactly this tenant's one Resource, nothing else.
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
      // The tenant's entity ref must be free, or this tenant's own from this repository (before anything is written).
      if (options.tenantCatalog)
        await refuseSquattedTenant(options.tenantCatalog, tenant, target);
      // Preflight, before the first write: the repository may be written, the cluster answers and the namespace is the tenant's.
      if (target.kind === 'local')
        writableLocalRepository(target.target, target.owner, target.repo);
      let existingTenant: string | undefined;
      if (summary) {
        const cluster = configuredCluster(
          config,
          summary.cluster,
          'summary.cluster',
          summary.grantsApplied ? 'grant' : 'read',
        );
        const { namespaceExists } = await tenantPreflight({
          config,
          clientFactory: kubeClientFactory,
          tenant,
          cluster,
          namespace: summary.namespace,
          fields: { namespace: 'summary.namespace' },
          ...(summary.grantsApplied
            ? {
                grants: {
                  sccs: summary.sccGrants.map(g => g.scc),
                  createNamespace: true,
                },
              }
            : {}),
        });
        if (namespaceExists)
          existingTenant = `tenant ${tenant} (namespace ${summary.namespace} on cluster '${cluster.name}')`;
      }

      const title =
        input.title ??
        (summary
          ? defaultPullRequestTitle(tenant, summary.cluster)
          : `ClearML tenant ${tenant}`);
      const description = (removedFiles: string[]) =>
        input.description ??
        renderPullRequestDescription({
          tenant,
          summary: summary!,
          targetPath,
          files: paths,
          removedFiles,
        });
      const change: GitopsChange = {
        host: target.host,
        owner: target.owner,
        repo: target.repo,
        branchName,
        targetBranchName,
        targetPath,
        files,
        title,
        description,
        commitMessage: `${title}\n\nFiles of ClearML tenant ${tenant} in ${targetPath}/, by Backstage.`,
        labels,
        reviewers,
        teamReviewers,
        draft: input.draft ?? false,
        update: input.update ?? false,
        existingTenant,
      };
      const where = `${target.host}/${target.owner}/${target.repo}`;

      if (ctx.isDryRun) {
        // No request at all: show what a real run would push and the description the reviewer would read.
        const pathList = paths.map(p => `  ${p}`).join('\n');
        ctx.logger.info(
          `Dry run: would push ${files.length} files to ${targetPath}/ on branch ${branchName} of ${where}` +
            `${
              {
                github: ' and open a pull request',
                gitlab: ' and open a merge request',
                local: ' (local git target: no pull request)',
              }[target.kind]
            }:\n${pathList}`,
        );
        ctx.logger.info(`Pull request "${title}":\n\n${description([])}`);
        ctx.output(
          'remoteUrl',
          {
            github: () => `https://${where}/pull/dry-run`,
            gitlab: () =>
              `${target.kind === 'gitlab' ? target.integration.baseUrl : ''}/${target.owner}/${target.repo}/-/merge_requests/dry-run`,
            local: () => `${localRemoteUrl({ ...target, branchName })}-dry-run`,
          }[target.kind](),
        );
        ctx.output('branchName', branchName);
        ctx.output(
          'targetBranchName',
          targetBranchName ??
            (target.kind === 'local'
              ? target.target.defaultBranch
              : '(default branch)'),
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
            return await publish();
          } finally {
            await release();
          }
        },
      });

      async function publish(): Promise<GitopsPublishResult> {
        let published: GitopsPublishResult;
        if (target.kind === 'local') {
          if (
            labels.length ||
            reviewers.length ||
            teamReviewers.length ||
            change.draft
          ) {
            log(
              'Local git target: labels, reviewers and draft do not apply; the description is in the commit message',
            );
          }
          published = await publishToLocalGit(target.target, change, log);
        } else if (target.kind === 'gitlab') {
          const token = input.token ?? target.integration.token;
          if (!token) {
            throw new InputError(
              `repoUrl: no token for ${target.host}: configure integrations.gitlab[].token for ${target.host} (a token with the api scope), or pass the token input`,
            );
          }
          const client = gitlabClientFactory({
            apiBaseUrl: target.integration.apiBaseUrl,
            token,
          });
          published = await publishToGitlab(client, change, log);
        } else {
          const client = await clientFactory({
            integrations,
            credentialsProvider,
            host: target.host,
            owner: target.owner,
            repo: target.repo,
            token: input.token,
          });
          published = await publishToGithub(client, change, log);
        }
        if (published.removedFiles.length) {
          log(
            `Removed from ${targetPath}/ (no longer rendered): ${published.removedFiles.join(', ')}`,
          );
        }
        // Checkpoint values are JSON: drop undefined fields.
        return JSON.parse(JSON.stringify(published)) as GitopsPublishResult;
      }

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
