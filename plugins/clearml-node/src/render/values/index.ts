export { renderTenantValues } from './renderTenantValues';
export type { TenantValuesOptions } from './renderTenantValues';
export { inClusterServerUrls } from './serviceUrls';
export { AGENT_CHART_IMAGES, SERVER_CHART_IMAGES } from './images';
export type { RenderedTenantValues } from './renderTenantValues';
export { sccGrantsForTenant, SCC } from './grants';
