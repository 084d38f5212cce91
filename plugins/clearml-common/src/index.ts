/**
 * Common types and rules of the ClearML-on-OpenShift plugins.
 *
 * @packageDocumentation
 */
export { isDns1123Label } from './dns';
export * from './editions';
export {
  tenantHosts,
  appGatewayRouteHost,
  tenantUrls,
  defaultTenantDomain,
  tenantHostParent,
  certificateCovers,
  TENANT_HOST_SUFFIXES,
} from './hosts';
export type { TenantHosts } from './hosts';
export {
  CHART_NAMES,
  CHART_VERSIONS,
  SERVER_COMPONENTS,
  APP_GATEWAY_PORT,
  CHART_DEFAULT_CREDENTIALS_SECRET,
  ELASTICSEARCH_CLUSTER_NAME,
  serverNames,
  agentNames,
  appGatewayNames,
} from './naming';
export type {
  ServerComponent,
  ServerNames,
  AgentNames,
  AppGatewayNames,
} from './naming';
export * from './scc';
export {
  DEFAULT_RELEASE_NAME,
  defaultNamespace,
  resolveTenant,
  tenantInputProblems,
} from './tenant';
export { normaliseWorkspacePath, WORKSPACE_PATH_RULE } from './workspacePath';
export type { TenantInput, Tenant, TenantRuleOptions } from './tenant';
export * from './tenantName';
export * from './tenantNamespace';
export * from './annotations';
export * from './labels';
export * from './health';
export * from './permissions';
export * from './clusters';
export * from './gitopsFiles';
export * from './charts';
export * from './argocd';
export * from './quantities';
export * from './tiers';
export * from './tierConfig';
export * from './tenantQuota';
export * from './networkIsolation';
export * from './credentials';
export * from './images';
export * from './gitRefs';
export * from './tenantAnchor';
export * from './tenantRetire';
export * from './tenantDay2';
export * from './day2Stages';
export * from './tenantRecordFields';
export {
  TENANT_SETTINGS_API_VERSION,
  TENANT_SETTINGS_KIND,
  tenantInputOfSettings,
  tenantSettingsOf,
  renderTenantSettings,
} from './tenantSettings';
export type { TenantSettings, TenantRecordFields } from './tenantSettings';
export { parseTenantSettings } from './tenantSettingsParse';
