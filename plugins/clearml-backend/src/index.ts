/**
 * The `clearml` backend plugin: a ClearML tenant's health, read from its
 * OpenShift cluster and explained (`GET /api/clearml/v1/health?entityRef=`).
 *
 * @packageDocumentation
 */
export { clearmlPlugin as default } from './plugin';
export {
  clearmlKubernetesClientFactoryServiceRef,
  clearmlProbeFetchServiceRef,
  clearmlGithubClientFactoryServiceRef,
} from './services';
export type { ProbeFetch } from './health/probes';
export type {
  GithubClientFactory,
  GithubPullsClient,
} from './lifecycle/pullRequest';
