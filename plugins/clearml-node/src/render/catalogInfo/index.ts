export {
  renderTenantCatalogInfo,
  tenantCatalogEntity,
  tenantCatalogInfoProblem,
} from './catalogInfo';
export type { TenantCatalogInfoInput } from './catalogInfo';
