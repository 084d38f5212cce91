import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import type { JSX } from 'react';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { clearmlApiFactory } from './api';
import type { ClearmlHealthCardProps } from './components/ClearmlHealthCard';
import {
  ClusterPicker,
  StorageClassField,
  TenantDomainField,
  validateClusterCharts,
  validateStorageClass,
} from './components/ClusterPicker';
import { fleetRouteRef } from './routes';

/** @public */
export const clearmlPlugin = createPlugin({
  id: 'clearml',
  apis: [clearmlApiFactory],
  routes: { fleet: fleetRouteRef },
});

/**
 * The fleet page for the platform team: every ClearML tenant in the catalog
 * with its cluster, owner, edition, lifecycle stage and status, sortable and
 * filterable, one click to the tenant. Mount it on a route of the app, e.g.
 * `<Route path="/clearml" element={<ClearmlFleetPage />} />`.
 *
 * @public
 */
export const ClearmlFleetPage: () => JSX.Element = clearmlPlugin.provide(
  createRoutableExtension({
    name: 'ClearmlFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * Entity card with the ClearML tenant's health; put it on the entity page of
 * `clearml-tenant` Resources (see `isClearmlTenantAvailable`).
 *
 * @public
 */
export const EntityClearmlHealthCard: (
  props: ClearmlHealthCardProps,
) => JSX.Element = clearmlPlugin.provide(
  createComponentExtension({
    name: 'EntityClearmlHealthCard',
    component: {
      lazy: () =>
        import('./components/ClearmlHealthCard').then(m => m.ClearmlHealthCard),
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
 * `clearml-<tenant>.<appsDomain>` of the picked cluster (fields `tenant` and `cluster`).
 *
 * @public
 */
export const ClearmlTenantDomainFieldExtension = clearmlPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClearmlTenantDomain',
    component: TenantDomainField,
  }),
);

/**
 * `ui:field: ClearmlStorageClass` for templates: the StorageClasses of the
 * picked cluster (field `cluster`), its default marked and preselected.
 *
 * @public
 */
export const ClearmlStorageClassFieldExtension = clearmlPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ClearmlStorageClass',
    component: StorageClassField,
    validation: validateStorageClass,
  }),
);
