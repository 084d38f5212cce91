/**
 * Scaffolder actions that render ClearML tenants for OpenShift, open the
 * GitOps pull request and apply SCC grants.
 *
 * Install: `backend.add(import('@clearml-openshift/plugin-scaffolder-backend-module-clearml'))`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleClearml as default } from './module';
export {
  createClearmlValuesRenderAction,
  VALUES_RENDER_ACTION_ID,
} from './actions/valuesRender';
export type { ChartCheckOptions } from './actions/clusterCharts';
export {
  createClearmlRoutesRenderAction,
  ROUTES_RENDER_ACTION_ID,
} from './actions/routesRender';
export {
  createClearmlCatalogInfoRenderAction,
  CATALOG_INFO_RENDER_ACTION_ID,
} from './actions/catalogInfoRender';
export {
  createClearmlArgocdRenderAction,
  ARGOCD_RENDER_ACTION_ID,
} from './actions/argocdRender';
export {
  createClearmlGitopsPullRequestAction,
  GITOPS_PULL_REQUEST_ACTION_ID,
} from './actions/gitopsPullRequest';
export type { ClearmlGitopsPullRequestActionOptions } from './actions/gitopsPullRequest';
// The GitHub and GitLab clients the pull-request action writes with: clearml-node's GitOps module, re-exported for
// the action's options (clientFactory, gitlabClientFactory).
export {
  createGithubClientFactory,
  createGitlabClientFactory,
} from '@clearml-openshift/plugin-clearml-node';
export type {
  GitopsClientFactory,
  GitopsClientFactoryOptions,
  GitopsOctokitClient,
  GitlabClient,
  GitlabClientFactory,
  GitlabClientFactoryOptions,
} from '@clearml-openshift/plugin-clearml-node';
export {
  createClearmlSccGrantAction,
  SCC_GRANT_ACTION_ID,
} from './actions/sccGrant';
export {
  createClearmlCredentialsCreateAction,
  CREDENTIALS_CREATE_ACTION_ID,
} from './actions/credentialsCreate';
export {
  databaseTenantLeases,
  inMemoryTenantLeases,
} from './actions/gitops/tenantLease';
export type { TenantLeases } from './actions/gitops/tenantLease';
export type { TenantCatalogAccess } from './actions/catalog/tenantCatalog';
export {
  createClearmlTenantRetireAction,
  TENANT_RETIRE_ACTION_ID,
} from './actions/tenantRetire';
export type { ClearmlTenantRetireActionOptions } from './actions/tenantRetire';
export type { Day2ActionOptions } from './actions/day2/day2ActionOptions';
export {
  createClearmlTenantChangeAction,
  TENANT_CHANGE_ACTION_ID,
} from './actions/tenantChange';
export type { ClearmlTenantChangeActionOptions } from './actions/tenantChange';
export {
  createClearmlFleetUpgradeAction,
  FLEET_UPGRADE_ACTION_ID,
} from './actions/fleetUpgrade';
export type { ClearmlFleetUpgradeActionOptions } from './actions/fleetUpgrade';
