export { renderTenantValues } from './renderTenantValues';
export type { RenderedTenantValues } from './renderTenantValues';
export { sccGrantsForTenant, SCC } from './grants';
