/**
 * The GitHub kind of GitOps target (GitHub.com and GitHub Enterprise, through
 * Backstage's GitHub integrations): a branch and a pull request.
 */
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  githubFileUrl,
  GitopsRepository,
} from '@clearml-openshift/plugin-clearml-common';
import { pullRequestStage, unknownPullRequest } from '../stage';
import type {
  GitopsTarget,
  GitopsTargetKind,
  GitopsTargetOptions,
} from '../targets';
import { GithubClientFactory } from './client';
import { publishToGithub } from './publish';
import { listBranchPulls } from './conditionalPulls';
import { githubRepositoryReader } from './reader';

async function readPullRequest(
  integrations: ScmIntegrationRegistry,
  reader: GithubClientFactory | undefined,
  { host, owner, repo }: GitopsRepository,
  branch: string,
) {
  const integration = integrations.github.byHost(host);
  if (!integration) {
    return unknownPullRequest(
      `No GitHub integration is configured for ${host} (integrations.github)`,
    );
  }
  if (!reader) throw new Error('No GitHub client to read pull requests with');
  const client = reader({
    baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
    auth: integration.config.token,
  });
  let pulls;
  try {
    pulls = await listBranchPulls(client, {
      baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
      owner,
      repo,
      branch,
    });
  } catch (error) {
    const status = (error as { status?: number }).status;
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    return unknownPullRequest(
      `GitHub ${host} answered ${status ? `HTTP ${status}` : 'with an error'} for ${owner}/${repo}: ${message}`,
    );
  }
  const pull = [...pulls].sort((a, b) => b.number - a.number)[0];
  if (!pull)
    return unknownPullRequest(
      `No pull request from ${branch} in ${owner}/${repo}`,
    );
  const url = pull.html_url;
  if (pull.merged_at)
    return pullRequestStage('done', `Pull request #${pull.number} merged`, {
      url,
      since: pull.merged_at,
    });
  if (pull.state === 'open')
    return pullRequestStage(
      'active',
      `Pull request #${pull.number} waiting for review`,
      { url },
    );
  return pullRequestStage(
    'failed',
    `Pull request #${pull.number} closed without merging`,
    { url },
  );
}

/**
 * The GitOps target of a repository on a host of `integrations.github`.
 *
 * @public
 */
export function githubGitopsTarget(
  repository: GitopsRepository,
  options: GitopsTargetOptions,
): GitopsTarget {
  const { host, owner, repo } = repository;
  const writer = async () => {
    if (!options.githubWriter)
      throw new Error('No GitHub client to write pull requests with');
    return options.githubWriter(repository);
  };
  return {
    kind: 'github',
    ...repository,
    preflight: () => undefined,
    dryRun: () => ({
      remoteUrl: `https://${host}/${owner}/${repo}/pull/dry-run`,
      note: ' and open a pull request',
    }),
    publish: async (change, log) =>
      publishToGithub(await writer(), change, log),
    fileUrl: async ref => githubFileUrl({ ...repository, ...ref }),
    readRepository: async () =>
      githubRepositoryReader(await writer(), owner, repo),
    readChangeRequest: branch =>
      readPullRequest(
        options.integrations,
        options.githubReader,
        repository,
        branch,
      ),
  };
}

/**
 * The GitHub kind: hosts of `integrations.github` (GitHub.com and GitHub Enterprise).
 *
 * @public
 */
export const githubTargetKind: GitopsTargetKind = {
  serves: (host, options) =>
    options.integrations.byHost(host)?.type === 'github',
  // Scaffolder's parseRepoUrl rules for GitHub: repo required, '/' trimmed.
  parse: (url, repoUrl) => {
    const param = (name: string) =>
      url.searchParams.get(name)?.replace(/^\/+|\/+$/g, '');
    const repo = param('repo');
    if (!repo) {
      throw new InputError(
        `repoUrl: repo is required (got ${JSON.stringify(repoUrl)})`,
      );
    }
    const owner = param('owner');
    if (!owner)
      throw new InputError(
        `repoUrl: owner is required (got ${JSON.stringify(repoUrl)})`,
      );
    return { host: url.host, owner, repo };
  },
  target: githubGitopsTarget,
};
