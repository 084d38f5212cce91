import { createComponentExtension, createPlugin } from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { clearmlApiFactory } from './api';
import { ClusterPicker, TenantDomainField, validateClusterCharts } from './components/ClusterPicker';

/** @public */
export const clearmlPlugin = createPlugin({
  id: 'clearml',
  apis: [clearmlApiFactory],
});

/**
 * Entity card with the ClearML tenant's health; put it on the entity page of
 * `clearml-tenant` Resources (see `isClearmlTenantAvailable`).
 *
 * @public
 */
export const EntityClearmlHealthCard = clearmlPlugin.provide(
  createComponentExtension({
    name: 'EntityClearmlHealthCard',
    component: {
      lazy: () => import('./components/ClearmlHealthCard').then(m => m.ClearmlHealthCard),
    },
  }),
);

/**
 * `ui:field: ClearmlClusterPicker` for templates: the clusters configured in
 * the clearml backend, as a select whose value is the cluster name.
 *
 * @public
 */
export const ClearmlClusterPickerFieldExtension = clearmlPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClearmlClusterPicker',
    component: ClusterPicker,
    validation: validateClusterCharts,
  }),
);

/**
 * `ui:field: ClearmlTenantDomain` for templates: the tenant domain, defaulting to
 * `<tenant>.clearml.<appsDomain>` of the picked cluster (fields `tenant` and `cluster`).
 *
 * @public
 */
export const ClearmlTenantDomainFieldExtension = clearmlPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClearmlTenantDomain',
    component: TenantDomainField,
  }),
);
