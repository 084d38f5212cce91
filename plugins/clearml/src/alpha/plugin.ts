import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  clearmlApi,
  clearmlFleetPage,
  clearmlClusterPickerFormField,
  clearmlTenantDomainFormField,
  clearmlStorageClassFormField,
  clearmlTenantHealthEntityCard,
} from './extensions';

/**
 * The ClearML plugin for Backstage's new frontend system: install the package
 * and the app discovers it (or add it to `createApp({ features })`).
 *
 * @alpha
 */
export const clearmlPlugin = createFrontendPlugin({
  pluginId: 'clearml',
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    clearmlApi,
    clearmlTenantHealthEntityCard,
    clearmlClusterPickerFormField,
    clearmlTenantDomainFormField,
    clearmlStorageClassFormField,
    clearmlFleetPage,
  ],
});
