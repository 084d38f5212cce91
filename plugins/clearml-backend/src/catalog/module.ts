/**
 * `catalogModuleClearmlTenants`: adds ClearmlTenantEntityProcessor to the
 * catalog, with the GitOps repositories of `clearml.gitops` and the clearml
 * backend's URLs (the local-git route) as the only sources of tenants.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { TenantAnchorSources } from '@clearml-openshift/plugin-clearml-common';
import { readTenantAnchorSources } from '@clearml-openshift/plugin-clearml-node';
import { ClearmlTenantEntityProcessor } from './tenantEntityProcessor';

/** @public */
export const catalogModuleClearmlTenants = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'clearml-tenants',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, discovery, processing }) {
        readTenantAnchorSources(config, []);
        let sources: Promise<TenantAnchorSources> | undefined;
        processing.addProcessor(
          new ClearmlTenantEntityProcessor(
            () =>
              (sources ??= Promise.all([
                discovery.getBaseUrl('clearml'),
                discovery.getExternalBaseUrl('clearml'),
              ]).then(urls =>
                readTenantAnchorSources(config, [...new Set(urls)]),
              )),
          ),
        );
      },
    });
  },
});
