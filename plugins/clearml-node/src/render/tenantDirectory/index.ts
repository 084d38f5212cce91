export { renderTenantDirectory } from './tenantDirectory';
export type {
  RenderedTenantDirectory,
  TenantDirectoryContext,
} from './tenantDirectory';
