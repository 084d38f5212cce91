import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { checkClearmlConfigAtStartup } from '@clearml-openshift/plugin-clearml-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createClearmlCatalogInfoRenderAction } from './actions/catalogInfoRender';
import { createClearmlArgocdRenderAction } from './actions/argocdRender';
import { createClearmlGitopsPullRequestAction } from './actions/gitopsPullRequest';
import { createClearmlRoutesRenderAction } from './actions/routesRender';
import { createClearmlSccGrantAction } from './actions/sccGrant';
import { createClearmlValuesRenderAction } from './actions/valuesRender';
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
      },
      async init({ scaffolder, config, discovery, logger }) {
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
        scaffolder.addActions(
          createClearmlValuesRenderAction({ config }),
          createClearmlRoutesRenderAction(),
          createClearmlArgocdRenderAction({ config }),
          createClearmlCatalogInfoRenderAction({ config }),
          createClearmlGitopsPullRequestAction({
            integrations: ScmIntegrations.fromConfig(config),
            config,
            // Local git targets' catalog files are read through the clearml backend (catalog:register after the PR).
            clearmlBaseUrl: () => discovery.getBaseUrl('clearml'),
          }),
          createClearmlSccGrantAction({ config }),
        );
      },
    });
  },
});
