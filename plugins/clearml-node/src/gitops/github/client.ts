/**
 * The GitHub clients of GitOps targets, made through Backstage's integrations
 * so GitHub.com, GitHub Enterprise, tokens and GitHub Apps all work: the one
 * `clearml:gitops:pull-request` writes with, and the one the health backend
 * reads a tenant's pull request with. Both injectable, each with a production
 * default.
 */
import { InputError } from '@backstage/errors';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from 'octokit';
import { createPullRequest } from 'octokit-plugin-create-pull-request';

/**
 * Octokit with `createPullRequest`, as Backstage's own pull-request action builds it.
 *
 * @public
 */
export type GitopsOctokitClient = InstanceType<typeof Octokit> &
  ReturnType<typeof createPullRequest>;

// The plugin is typed against another @octokit/core copy than octokit's; at run time they are the same API.
const GitopsOctokit = Octokit.plugin(
  createPullRequest as any,
) as unknown as new (
  options: ConstructorParameters<typeof Octokit>[0],
) => GitopsOctokitClient;

/**
 * What a `GitopsClientFactory` is given: the integrations and credentials to authenticate with, the repository the
 * pull request goes to, and the action's `token` input.
 *
 * @public
 */
export interface GitopsClientFactoryOptions {
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  host: string;
  owner: string;
  repo: string;
  /** The action's `token` input: overrides the integration's credentials. */
  token?: string;
}

/**
 * Builds the GitHub client `clearml:gitops:pull-request` writes with; `createGithubClientFactory` is the production
 * one.
 *
 * @public
 */
export type GitopsClientFactory = (
  options: GitopsClientFactoryOptions,
) => Promise<GitopsOctokitClient>;

/**
 * The production factory. `octokitOptions` reach Octokit unchanged (tests use
 * them to shorten retry back-off and lift the one-second spacing of writes).
 *
 * @public
 */
export function createGithubClientFactory(
  octokitOptions: Record<string, unknown> = {},
): GitopsClientFactory {
  return async ({
    integrations,
    credentialsProvider,
    host,
    owner,
    repo,
    token,
  }) => {
    const integration = integrations.github.byHost(host);
    if (!integration) {
      throw new InputError(
        `repoUrl: no GitHub integration is configured for host ${host} (integrations.github[].host) and it is not a local git target (clearml.gitops.localTargets[].host)`,
      );
    }
    let auth = token;
    if (!auth) {
      const credentials = await credentialsProvider.getCredentials({
        url: `https://${host}/${owner}/${repo}`,
      });
      auth = credentials.token;
    }
    if (!auth) {
      throw new InputError(
        `repoUrl: no credentials for https://${host}/${owner}/${repo}: configure a token or a GitHub App for ${host} under integrations.github, or pass the token input`,
      );
    }
    return new GitopsOctokit({
      auth,
      baseUrl: integration.config.apiBaseUrl,
      ...octokitOptions,
    });
  };
}

/**
 * The write client of GitOps targets on GitHub (`GitopsTargetOptions.githubWriter`), from an action's factory, the
 * integrations' credentials and its `token` input.
 *
 * @public
 */
export function githubWriterOf(options: {
  clientFactory: GitopsClientFactory;
  integrations: ScmIntegrationRegistry;
  credentialsProvider: GithubCredentialsProvider;
  token?: string;
}): (repository: {
  host: string;
  owner: string;
  repo: string;
}) => Promise<GitopsOctokitClient> {
  const { clientFactory, ...rest } = options;
  return repository => clientFactory({ ...rest, ...repository });
}

/**
 * What reading a tenant's pull request needs of a GitHub client: octokit's `rest.pulls.list` (both octokit and
 * `GitopsOctokitClient` have it).
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
        /** `if-none-match`: the ETag of the last answer (a conditional request; GitHub answers 304 when unchanged). */
        headers?: Record<string, string>;
      }): Promise<{
        data: Array<{
          number: number;
          html_url: string;
          state: string;
          merged_at?: string | null;
          draft?: boolean;
        }>;
        headers?: { etag?: string };
      }>;
    };
  };
}

/**
 * Builds the GitHub client that reads a tenant's pull request, for an integration (`baseUrl` its API base URL,
 * `auth` its token when it has one).
 *
 * @public
 */
export type GithubClientFactory = (options: {
  baseUrl: string;
  auth?: string;
}) => GithubPullsClient;

/**
 * The production reader: octokit without retries or rate-limit waits (a health card answers now, and the next
 * cache period asks again).
 *
 * @public
 */
export function createGithubReadClientFactory(): GithubClientFactory {
  return options =>
    new Octokit({
      baseUrl: options.baseUrl,
      ...(options.auth ? { auth: options.auth } : {}),
      retry: { enabled: false },
      throttle: { enabled: false },
    });
}
