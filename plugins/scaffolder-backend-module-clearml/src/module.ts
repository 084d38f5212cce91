import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createClearmlGitopsPullRequestAction } from './actions/gitopsPullRequest';
import { createClearmlRoutesRenderAction } from './actions/routesRender';
import { createClearmlSccGrantAction } from './actions/sccGrant';
import { createClearmlValuesRenderAction } from './actions/valuesRender';

/**
 * Adds the ClearML actions to the scaffolder. Actions that talk to GitHub or
 * a cluster get what they need from `config` here (integrations, clusters).
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
      },
      async init({ scaffolder, config, discovery }) {
        scaffolder.addActions(
          createClearmlValuesRenderAction(),
          createClearmlRoutesRenderAction(),
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
