import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  checkClearmlConfigAtStartup,
  lazyTenantAnchorSources,
} from '@clearml-openshift/plugin-clearml-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { databaseTenantLeases } from './actions/gitops/tenantLease';
import { TenantCatalogAccess } from './actions/catalog/tenantCatalog';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createClearmlCatalogInfoRenderAction } from './actions/catalogInfoRender';
import { createClearmlCredentialsCreateAction } from './actions/credentialsCreate';
import { createClearmlArgocdRenderAction } from './actions/argocdRender';
import { createClearmlGitopsPullRequestAction } from './actions/gitopsPullRequest';
import { createClearmlRoutesRenderAction } from './actions/routesRender';
import { createClearmlSccGrantAction } from './actions/sccGrant';
import { createClearmlValuesRenderAction } from './actions/valuesRender';
import { createClearmlTenantRetireAction } from './actions/tenantRetire';
import { createClearmlFleetUpgradeAction } from './actions/fleetUpgrade';
import { createClearmlTenantChangeAction } from './actions/tenantChange';
import { readModuleConfigKeys } from './moduleConfig';

/**
 * Adds the ClearML actions to the scaffolder. Actions that talk to GitHub or
 * a cluster get what they need from `config` here (integrations, clusters).
 *
 * @public
 */
export const scaffolderModuleClearml = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'clearml',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        database: coreServices.database,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
      },
      async init({
        scaffolder,
        config,
        discovery,
        logger,
        database,
        catalog,
        auth,
        permissions,
      }) {
        // Every clearml.* key the actions use, read now: a wrong type or a cluster the actions cannot use stops the
        // start with a message naming the key, not the first task.
        checkClearmlConfigAtStartup(
          'scaffolder-backend-module-clearml',
          config,
          {
            logger,
            readOwnKeys: readModuleConfigKeys,
          },
        );
        // The same rule as the clearml backend's (tenantAnchorOf), with the same clearml base URLs.
        const tenantCatalog: TenantCatalogAccess = {
          catalog,
          auth,
          anchorSources: lazyTenantAnchorSources(config, discovery),
          // A policy may allow any owner only where the permission framework decides at all.
          ...(config.getOptionalBoolean('permission.enabled')
            ? { permissions }
            : {}),
        };
        const integrations = ScmIntegrations.fromConfig(config);
        const tenantLeases = databaseTenantLeases(database);
        scaffolder.addActions(
          createClearmlValuesRenderAction({ config }),
          createClearmlRoutesRenderAction({ config }),
          createClearmlArgocdRenderAction({ config }),
          createClearmlCatalogInfoRenderAction({ config, tenantCatalog }),
          createClearmlGitopsPullRequestAction({
            integrations,
            config,
            // Local git targets' catalog files are read through the clearml backend (catalog:register after the PR).
            clearmlBaseUrl: () => discovery.getBaseUrl('clearml'),
            // One run per tenant at a time, across every replica sharing this database.
            tenantLeases,
            tenantCatalog,
          }),
          // Day 2: the tenant comes from its catalog entity; same leases, so a retire never races a change.
          createClearmlTenantRetireAction({
            integrations,
            config,
            tenantLeases,
            tenantCatalog,
          }),
          createClearmlTenantChangeAction({
            integrations,
            config,
            tenantLeases,
            tenantCatalog,
          }),
          // The fleet's chart upgrades: platform group only; same leases, so an upgrade never races a change.
          createClearmlFleetUpgradeAction({
            integrations,
            config,
            tenantLeases,
            tenantCatalog,
          }),
          createClearmlSccGrantAction({ config }),
          createClearmlCredentialsCreateAction({ config }),
        );
      },
    });
  },
});
