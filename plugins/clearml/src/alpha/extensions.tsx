/**
 * The plugin's extensions for apps on Backstage's new frontend system: the
 * ClearML API, the tenant health card on entity pages, the two template
 * fields on the scaffolder's form, and the fleet page.
 */
import { ApiBlueprint, PageBlueprint } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { clearmlApiFactory } from '../api';
import { isClearmlTenantAvailable } from '../isClearmlTenantAvailable';

/**
 * `api:clearml`: the ClearML client on the app's discovery and fetch APIs.
 *
 * @alpha
 */
export const clearmlApi = ApiBlueprint.make({
  params: defineParams => defineParams(clearmlApiFactory),
});

/**
 * `entity-card:clearml/tenant-health`: the tenant's health, on the overview of
 * entities that carry the ClearML annotations (`isClearmlTenantAvailable`)
 * and on no other entity. An app may still replace the filter in its config.
 *
 * @alpha
 */
export const clearmlTenantHealthEntityCard = EntityCardBlueprint.make({
  name: 'tenant-health',
  params: {
    filter: isClearmlTenantAvailable,
    loader: () =>
      import('../components/ClearmlHealthCard').then(m => (
        <m.ClearmlHealthCard />
      )),
  },
});

/**
 * `scaffolder-form-field:clearml/cluster-picker`: `ui:field: ClearmlClusterPicker`.
 *
 * @alpha
 */
export const clearmlClusterPickerFormField = FormFieldBlueprint.make({
  name: 'cluster-picker',
  params: {
    field: () => import('./formFields').then(m => m.clusterPickerFormField),
  },
});

/**
 * `scaffolder-form-field:clearml/tenant-domain`: `ui:field: ClearmlTenantDomain`.
 *
 * @alpha
 */
export const clearmlTenantDomainFormField = FormFieldBlueprint.make({
  name: 'tenant-domain',
  params: {
    field: () => import('./formFields').then(m => m.tenantDomainFormField),
  },
});

/**
 * `scaffolder-form-field:clearml/storage-class`: `ui:field: ClearmlStorageClass`.
 *
 * @alpha
 */
export const clearmlStorageClassFormField = FormFieldBlueprint.make({
  name: 'storage-class',
  params: {
    field: () => import('./formFields').then(m => m.storageClassFormField),
  },
});

/**
 * `page:clearml`: every ClearML tenant at `/clearml` (the legacy `ClearmlFleetPage`), with its own header.
 *
 * @alpha
 */
export const clearmlFleetPage = PageBlueprint.make({
  params: {
    path: '/clearml',
    title: 'ClearML tenants',
    noHeader: true,
    loader: () => import('../components/FleetPage').then(m => <m.FleetPage />),
  },
});
