/**
 * The pull-request stage of a tenant: the pull request from the branch the
 * entity names (`clear.ml/gitops-repo`, `clear.ml/gitops-branch`), read
 * through Backstage's GitHub integration, the merge request from that branch
 * through its GitLab integration, or for a local git target from the bare
 * repository: the branch exists, and is or is not merged into the target's
 * default branch.
 */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  branchNameProblem,
  LifecycleStage,
  parseRepoPickerUrl,
} from '@clearml-openshift/plugin-clearml-common';
import {
  GitlabClientFactory,
  gitlabErrorOf,
  LocalGitTarget,
  localRepositoryPath,
  newestMergeRequest,
} from '@clearml-openshift/plugin-clearml-node';

/**
 * What the pull-request stage needs of a GitHub client: octokit's `rest.pulls.list`.
 *
 * @public
 */
export interface GithubPullsClient {
  rest: {
    pulls: {
      list(params: {
        owner: string;
        repo: string;
        head: string;
        state: 'all';
        per_page: number;
      }): Promise<{
        data: Array<{
          number: number;
          html_url: string;
          state: string;
          merged_at?: string | null;
          draft?: boolean;
        }>;
      }>;
    };
  };
}

/**
 * Builds the GitHub client for an integration (`baseUrl` its API base URL, `auth` its token when it has one); the
 * production default is octokit.
 *
 * @public
 */
export type GithubClientFactory = (options: {
  baseUrl: string;
  auth?: string;
}) => GithubPullsClient;

export interface PullRequestSource {
  repoUrl: string;
  branch: string;
}

export interface PullRequestReader {
  integrations: ScmIntegrationRegistry;
  localTargets: readonly LocalGitTarget[];
  github: GithubClientFactory;
  /** Reads merge requests of hosts in integrations.gitlab; without it they are `unknown`. */
  gitlab?: GitlabClientFactory;
}

function stage(
  state: LifecycleStage['state'],
  summary: string,
  extra: Partial<LifecycleStage> = {},
): LifecycleStage {
  return { id: 'pullRequest', state, summary, ...extra };
}

async function localStage(
  target: LocalGitTarget,
  owner: string,
  repo: string,
  branch: string,
): Promise<LifecycleStage> {
  const gitdir = localRepositoryPath(target, owner, repo);
  if (!fs.existsSync(path.join(gitdir, 'config'))) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `The local repository ${owner}/${repo} does not exist`,
    });
  }
  const resolve = (ref: string) =>
    git.resolveRef({ fs, gitdir, ref }).catch(() => undefined);
  const head = await resolve(`refs/heads/${branch}`);
  if (!head) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `Branch ${branch} is not in the local repository ${owner}/${repo}`,
    });
  }
  const base = await resolve(`refs/heads/${target.defaultBranch}`);
  const merged =
    Boolean(base) &&
    (base === head ||
      (await git.isDescendent({
        fs,
        gitdir,
        oid: base!,
        ancestor: head,
        depth: -1,
      })));
  return merged
    ? stage('done', `Branch ${branch} merged into ${target.defaultBranch}`)
    : stage(
        'active',
        `Branch ${branch} waiting for review (not merged into ${target.defaultBranch})`,
      );
}

async function githubStage(
  reader: PullRequestReader,
  host: string,
  owner: string,
  repo: string,
  branch: string,
): Promise<LifecycleStage> {
  const integration = reader.integrations.github.byHost(host);
  if (!integration) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `No GitHub integration is configured for ${host} (integrations.github)`,
    });
  }
  const client = reader.github({
    baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
    auth: integration.config.token,
  });
  let pulls;
  try {
    ({ data: pulls } = await client.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${branch}`,
      state: 'all',
      per_page: 20,
    }));
  } catch (error) {
    const status = (error as { status?: number }).status;
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    return stage('unknown', 'Pull request unknown', {
      unavailable: `GitHub ${host} answered ${status ? `HTTP ${status}` : 'with an error'} for ${owner}/${repo}: ${message}`,
    });
  }
  const pull = [...pulls].sort((a, b) => b.number - a.number)[0];
  if (!pull)
    return stage('unknown', 'Pull request unknown', {
      unavailable: `No pull request from ${branch} in ${owner}/${repo}`,
    });
  const url = pull.html_url;
  if (pull.merged_at)
    return stage('done', `Pull request #${pull.number} merged`, { url });
  if (pull.state === 'open')
    return stage('active', `Pull request #${pull.number} waiting for review`, {
      url,
    });
  return stage(
    'failed',
    `Pull request #${pull.number} closed without merging`,
    { url },
  );
}

async function gitlabStage(
  reader: PullRequestReader,
  host: string,
  owner: string,
  repo: string,
  branch: string,
): Promise<LifecycleStage> {
  const integration = reader.integrations.gitlab.byHost(host)!.config;
  if (!reader.gitlab || !integration.token) {
    return stage('unknown', 'Merge request unknown', {
      unavailable: reader.gitlab
        ? `No token for ${host} (integrations.gitlab[].token)`
        : 'GitLab merge requests are not read by this backend',
    });
  }
  let mr;
  try {
    mr = await newestMergeRequest(
      reader.gitlab({
        apiBaseUrl: integration.apiBaseUrl,
        token: integration.token,
      }),
      owner,
      repo,
      branch,
    );
  } catch (error) {
    const failed = gitlabErrorOf(error);
    return stage('unknown', 'Merge request unknown', {
      unavailable: `GitLab ${host} answered ${failed ? failed.message : `with an error: ${(error as Error).message}`} for ${owner}/${repo}`,
    });
  }
  if (!mr)
    return stage('unknown', 'Merge request unknown', {
      unavailable: `No merge request from ${branch} in ${owner}/${repo}`,
    });
  const url = mr.webUrl;
  if (mr.state === 'merged')
    return stage('done', `Merge request !${mr.iid} merged`, { url });
  if (mr.state === 'opened' || mr.state === 'locked')
    return stage('active', `Merge request !${mr.iid} waiting for review`, {
      url,
    });
  return stage('failed', `Merge request !${mr.iid} closed without merging`, {
    url,
  });
}

/** The stage, never an exception: what cannot be read is `unknown` with the reason. */
export async function readPullRequestStage(
  source: PullRequestSource | undefined,
  reader: PullRequestReader,
): Promise<LifecycleStage> {
  if (!source) {
    return stage('unknown', 'Pull request unknown', {
      unavailable:
        'The entity names no GitOps repository and branch (clear.ml/gitops-repo, clear.ml/gitops-branch)',
    });
  }
  const parsed = parseRepoPickerUrl(source.repoUrl);
  if (!parsed) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `clear.ml/gitops-repo must be host?owner=…&repo=… (got ${JSON.stringify(source.repoUrl)})`,
    });
  }
  const { host, owner, repo } = parsed;
  // The branch is read as refs/heads/<branch> only: a name that would leave refs/heads is never looked up.
  const branchProblem = branchNameProblem(source.branch);
  if (branchProblem) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `The branch ${branchProblem} (got ${JSON.stringify(source.branch)})`,
    });
  }
  try {
    const local = reader.localTargets.find(t => t.host === host);
    if (local) return await localStage(local, owner, repo, source.branch);
    if (reader.integrations.gitlab.byHost(host))
      return await gitlabStage(reader, host, owner, repo, source.branch);
    return await githubStage(reader, host, owner, repo, source.branch);
  } catch (error) {
    return stage('unknown', 'Pull request unknown', {
      unavailable: `Could not read the pull request: ${(error as Error).message}`,
    });
  }
}
