/**
 * The plugin's outward clients as services with production defaults, so a
 * deployment or a test can supply its own (as Backstage's own integrations do).
 */
import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  createGithubReadClientFactory,
  GithubClientFactory,
  createGitlabClientFactory,
  GitlabClientFactory,
  KubernetesClientFactory,
  kubernetesClientFactory,
} from '@clearml-openshift/plugin-clearml-node';
import { ProbeFetch } from './health/probes';

/**
 * Builds Kubernetes API clients for a configured cluster. Default: clearml-node's client-node clients with per-request timeouts.
 *
 * @public
 */
export const clearmlKubernetesClientFactoryServiceRef =
  createServiceRef<KubernetesClientFactory>({
    id: 'clearml.kubernetes-client-factory',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => kubernetesClientFactory(),
      }),
  });

/**
 * The HTTP client of the endpoint probes. Default: Node's fetch.
 *
 * @public
 */
export const clearmlProbeFetchServiceRef = createServiceRef<ProbeFetch>({
  id: 'clearml.health-probe-fetch',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: (): ProbeFetch => (url, init) => fetch(url, init),
    }),
});

/**
 * Builds the GitHub client that reads a tenant's pull request (the lifecycle's first stage), per integration.
 * Default: octokit against the integration's API base URL, without retries or rate-limit waits. Replace it to reach
 * GitHub through a proxy or a client of your own.
 *
 * @public
 */
export const clearmlGithubClientFactoryServiceRef =
  createServiceRef<GithubClientFactory>({
    id: 'clearml.github-client-factory',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        // No retries or rate-limit waits: a health card answers now, and the next cache period asks again.
        factory: () => createGithubReadClientFactory(),
      }),
  });

/**
 * Builds the GitLab client that reads a tenant's merge request (the lifecycle's first stage), per integration.
 * Default: gitbeaker (`@gitbeaker/rest`, the client of Backstage's GitLab actions) against the integration's
 * apiBaseUrl, each request bounded to 10 s. Replace it to reach GitLab through a proxy or a client of your own.
 *
 * @public
 */
export const clearmlGitlabClientFactoryServiceRef =
  createServiceRef<GitlabClientFactory>({
    id: 'clearml.gitlab-client-factory',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        // A health card answers now, and the next cache period asks again.
        factory: () => createGitlabClientFactory({ queryTimeoutMs: 10_000 }),
      }),
  });
