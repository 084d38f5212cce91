/**
 * The GitLab client both backends use: `@gitbeaker/rest`, as Backstage's own
 * GitLab actions, made from Backstage's GitLab integration config
 * (`integrations.gitlab[]`: host, token, apiBaseUrl of a self-managed
 * instance). Injectable: tests pass a factory that reaches an API double.
 */
import { InputError } from '@backstage/errors';
import type {
  GitLabIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { Gitlab } from '@gitbeaker/rest';

/**
 * A gitbeaker client (`new Gitlab(...)`).
 *
 * @public
 */
export type GitlabClient = InstanceType<typeof Gitlab>;

/**
 * What a `GitlabClientFactory` is given: the instance's REST base URL (`…/api/v4`) and the token to send.
 *
 * @public
 */
export interface GitlabClientFactoryOptions {
  apiBaseUrl: string;
  token: string;
}

/**
 * Builds the GitLab client the GitOps action writes with and the lifecycle reads with; `createGitlabClientFactory`
 * is the production one.
 *
 * @public
 */
export type GitlabClientFactory = (
  options: GitlabClientFactoryOptions,
) => GitlabClient;

/**
 * The production factory: gitbeaker against the integration's API (gitbeaker appends `/api/v4` to `host` itself).
 * `queryTimeoutMs` bounds every request (default 60 s).
 *
 * @public
 */
export function createGitlabClientFactory(
  options: { queryTimeoutMs?: number } = {},
): GitlabClientFactory {
  return ({ apiBaseUrl, token }) =>
    new Gitlab({
      host: gitbeakerHost(apiBaseUrl),
      token,
      queryTimeout: options.queryTimeoutMs ?? 60_000,
    });
}

/** `https://gitlab.example.com/gitlab/api/v4` → `https://gitlab.example.com/gitlab`. */
function gitbeakerHost(apiBaseUrl: string): string {
  const trimmed = apiBaseUrl.replace(/\/+$/, '');
  if (!trimmed.endsWith('/api/v4')) {
    throw new InputError(
      `integrations.gitlab[].apiBaseUrl must end in /api/v4 (got ${JSON.stringify(apiBaseUrl)})`,
    );
  }
  return trimmed.slice(0, -'/api/v4'.length);
}

/**
 * The GitLab integration configured for `host`, or undefined.
 *
 * @public
 */
export function gitlabIntegrationFor(
  integrations: ScmIntegrationRegistry,
  host: string,
): GitLabIntegrationConfig | undefined {
  return integrations.gitlab.byHost(host)?.config;
}

/**
 * The GitLab project path of a RepoUrlPicker `owner` (group path, subgroups allowed) and `repo`.
 *
 * @public
 */
export function gitlabProjectPath(owner: string, repo: string): string {
  return `${owner}/${repo}`;
}
