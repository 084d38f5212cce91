/**
 * The GitLab kind of GitOps target (GitLab.com and self-managed GitLab,
 * through Backstage's GitLab integrations): one commit on a branch and a
 * merge request. Projects may sit in subgroups (`owner` is the group path).
 */
import { InputError } from '@backstage/errors';
import type { GitLabIntegrationConfig } from '@backstage/integration';
import {
  gitlabFileUrl,
  GitopsRepository,
  parseRepoPickerUrl,
} from '@clearml-openshift/plugin-clearml-common';
import { pullRequestStage } from '../stage';
import type {
  GitopsTarget,
  GitopsTargetKind,
  GitopsTargetOptions,
} from '../targets';
import { GitlabClientFactory, gitlabIntegrationFor } from './gitlabClient';
import { gitlabErrorOf } from './gitlabErrors';
import { newestMergeRequest } from './mergeRequestState';
import { publishToGitlab } from './publish';

const unknownMergeRequest = (unavailable: string) =>
  pullRequestStage('unknown', 'Merge request unknown', { unavailable });

async function readMergeRequest(
  integration: GitLabIntegrationConfig,
  reader: GitlabClientFactory | undefined,
  { host, owner, repo }: GitopsRepository,
  branch: string,
) {
  if (!reader || !integration.token) {
    return unknownMergeRequest(
      reader
        ? `No token for ${host} (integrations.gitlab[].token)`
        : 'GitLab merge requests are not read by this backend',
    );
  }
  let mr;
  try {
    mr = await newestMergeRequest(
      reader({ apiBaseUrl: integration.apiBaseUrl, token: integration.token }),
      owner,
      repo,
      branch,
    );
  } catch (error) {
    const failed = gitlabErrorOf(error);
    return unknownMergeRequest(
      `GitLab ${host} answered ${failed ? failed.message : `with an error: ${(error as Error).message}`} for ${owner}/${repo}`,
    );
  }
  if (!mr)
    return unknownMergeRequest(
      `No merge request from ${branch} in ${owner}/${repo}`,
    );
  const url = mr.webUrl;
  if (mr.state === 'merged')
    return pullRequestStage('done', `Merge request !${mr.iid} merged`, {
      url,
      ...(mr.mergedAt ? { since: mr.mergedAt } : {}),
    });
  if (mr.state === 'opened' || mr.state === 'locked')
    return pullRequestStage(
      'active',
      `Merge request !${mr.iid} waiting for review`,
      { url },
    );
  return pullRequestStage(
    'failed',
    `Merge request !${mr.iid} closed without merging`,
    { url },
  );
}

/**
 * The GitOps target of a project on a host of `integrations.gitlab`.
 *
 * @public
 */
export function gitlabGitopsTarget(
  repository: GitopsRepository,
  options: GitopsTargetOptions,
): GitopsTarget {
  const { host, owner, repo } = repository;
  const integration = gitlabIntegrationFor(options.integrations, host)!;
  const writeToken = () => {
    const token = options.token ?? integration.token;
    if (!token) {
      throw new InputError(
        `repoUrl: no token for ${host}: configure integrations.gitlab[].token for ${host} (a token with the api scope), or pass the token input`,
      );
    }
    return token;
  };
  return {
    kind: 'gitlab',
    ...repository,
    // Without a token nothing can be written: refused with the input, also in a dry run (no request either way).
    preflight: () => {
      writeToken();
    },
    dryRun: () => ({
      remoteUrl: `${integration.baseUrl}/${owner}/${repo}/-/merge_requests/dry-run`,
      note: ' and open a merge request',
    }),
    publish: async (change, log) => {
      const token = writeToken();
      if (!options.gitlabClients)
        throw new Error('No GitLab client to write merge requests with');
      const client = options.gitlabClients({
        apiBaseUrl: integration.apiBaseUrl,
        token,
      });
      return publishToGitlab(client, change, log);
    },
    fileUrl: async ref =>
      gitlabFileUrl(integration.baseUrl, { ...repository, ...ref }),
    readChangeRequest: branch =>
      readMergeRequest(integration, options.gitlabClients, repository, branch),
  };
}

/**
 * The GitLab kind: hosts of `integrations.gitlab`, `owner` a group path (subgroups allowed).
 *
 * @public
 */
export const gitlabTargetKind: GitopsTargetKind = {
  serves: (host, options) =>
    options.integrations.byHost(host)?.type === 'gitlab',
  // Group paths with subgroups: RepoUrlPicker's owner may hold '/'.
  parse: (url, repoUrl) => {
    const project = parseRepoPickerUrl(repoUrl);
    if (!project) {
      throw new InputError(
        `repoUrl: must be ${url.host}?owner=<group path>&repo=<project> (got ${JSON.stringify(repoUrl)})`,
      );
    }
    return project;
  },
  target: gitlabGitopsTarget,
};
