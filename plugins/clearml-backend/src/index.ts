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
  clearmlGitlabClientFactoryServiceRef,
} from './services';
export type { ProbeFetch } from './health/probes';
export type {
  GithubClientFactory,
  GithubPullsClient,
} from '@clearml-openshift/plugin-clearml-node';
export { catalogModuleClearmlTenants } from './catalog/module';
export {
  ClearmlTenantEntityProcessor,
  REFUSED_TENANT_ANNOTATION,
  REFUSED_TENANT_TYPE,
} from './catalog/tenantEntityProcessor';
