/**
 * The GitHub client the action uses, made through Backstage's integrations so
 * GitHub.com, GitHub Enterprise, tokens and GitHub Apps all work. Injectable:
 * the action takes any factory with this signature.
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
