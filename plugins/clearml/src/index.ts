/**
 * Frontend of the ClearML-on-OpenShift plugins: an entity card with a tenant's health.
 *
 * @packageDocumentation
 */
export {
  clearmlPlugin,
  EntityClearmlHealthCard,
  ClearmlFleetPage,
  ClearmlClusterPickerFieldExtension,
  ClearmlTenantDomainFieldExtension,
  ClearmlStorageClassFieldExtension,
} from './plugin';
export { isClearmlTenantAvailable } from './isClearmlTenantAvailable';
export { clearmlApiRef, ClearmlClient, clearmlApiFactory } from './api';
export type { ClearmlApi, ClearmlRequestOptions } from './api';
export type { ClearmlHealthCardProps } from './components/ClearmlHealthCard';
