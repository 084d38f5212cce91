import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { clearmlApiRef } from './ClearmlApi';
import { ClearmlClient } from './ClearmlClient';

/**
 * The factory of {@link clearmlApiRef}: a {@link ClearmlClient} on the app's
 * discovery and fetch APIs. One definition for every way the plugin is
 * installed: the legacy plugin's `apis`, the new frontend system's API
 * extension, and Developer Hub's `apiFactories` (`importName: clearmlApiFactory`).
 *
 * @public
 */
export const clearmlApiFactory = createApiFactory({
  api: clearmlApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new ClearmlClient({ discoveryApi, fetchApi }),
});
