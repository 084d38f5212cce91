import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { clearmlApiRef, ClearmlClient } from './api';

/** @public */
export const clearmlPlugin = createPlugin({
  id: 'clearml',
  apis: [
    createApiFactory({
      api: clearmlApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new ClearmlClient({ discoveryApi, fetchApi }),
    }),
  ],
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
