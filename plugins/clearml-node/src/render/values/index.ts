export { renderTenantValues } from './renderTenantValues';
export type { RenderedTenantValues } from './renderTenantValues';
export { sccGrantsForTenant, SCC } from './grants';
export { VALUES_FILE_NAMES } from './files';
export { ENTERPRISE_CONTAINER_BASH_SCRIPT } from './enterpriseScripts';
export { appGatewayBaseHost } from './appGateway';
