/** The `clearml` backend plugin: the tenant health API at `/api/clearml/v1/health`. */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import type { Config } from '@backstage/config';
import {
  buildKubeConfig,
  checkClearmlConfigAtStartup,
  readArgocdSettings,
  readChartsSettings,
  readImageSettings,
  readClearmlClusters,
  readLocalGitTargets,
  lazyTenantAnchorSources,
  readTenantNamespacePolicy,
} from '@clearml-openshift/plugin-clearml-node';
import { kubeConfigStream } from './kubernetes/clusterStream';
import {
  DEFAULT_RETIRED_SWEEP_SECONDS,
  scheduleRetiredTenantsSweep,
} from './health/retiredTenants';
import { ClusterViews } from './kubernetes/ClusterViews';
import { TenantHealthChecker } from './health/TenantHealthChecker';
import { TenantEntityHealth } from './health/TenantEntityHealth';
import { createRouter } from './routes/router';
import { registerTenantPermissions } from './routes/tenantPermissions';
import { createFleetRouter } from './routes/fleet';
import { createTenantNamespaceGuard } from './health/tenantNamespaceGuard';
import { createClustersRouter } from './routes/clusters';
import { createLocalGitRouter } from './routes/localGit';
import { LOCAL_GIT_ROUTE } from '@clearml-openshift/plugin-clearml-common';
import { ScmIntegrations } from '@backstage/integration';
import {
  clearmlGithubClientFactoryServiceRef,
  clearmlGitlabClientFactoryServiceRef,
  clearmlKubernetesClientFactoryServiceRef,
  clearmlProbeFetchServiceRef,
} from './services';

/** clearml.health (config.d.ts), read with its types when the plugin starts. */
function readHealthConfigKeys(config: Config): void {
  const health = config.getOptionalConfig('clearml.health');
  for (const key of [
    'cacheSeconds',
    'probeTimeoutSeconds',
    'watchSeconds',
    'staleSeconds',
    'retiredSweepSeconds',
  ])
    health?.getOptionalNumber(key);
  for (const key of ['probeEndpoints', 'sharedView'])
    health?.getOptionalBoolean(key);
}

export const DEFAULT_CACHE_SECONDS = 15;
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 3;
export const DEFAULT_WATCH_SECONDS = 30;
export const DEFAULT_STALE_SECONDS = 120;

/** @public */
export const clearmlPlugin = createBackendPlugin({
  pluginId: 'clearml',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        clientFactory: clearmlKubernetesClientFactoryServiceRef,
        probeFetch: clearmlProbeFetchServiceRef,
        githubClientFactory: clearmlGithubClientFactoryServiceRef,
        gitlabClientFactory: clearmlGitlabClientFactoryServiceRef,
      },
      async init({
        config,
        logger,
        auth,
        cache,
        httpRouter,
        lifecycle,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        discovery,
        scheduler,
        clientFactory,
        probeFetch,
        githubClientFactory,
        gitlabClientFactory,
      }) {
        // Every clearml.* key the plugin uses, read now: a wrong type stops the start with a message naming the key.
        checkClearmlConfigAtStartup('clearml', config, {
          readOwnKeys: readHealthConfigKeys,
        });
        const clusters = readClearmlClusters(config, { logger });
        const health = config.getOptionalConfig('clearml.health');
        const cacheSeconds =
          health?.getOptionalNumber('cacheSeconds') ?? DEFAULT_CACHE_SECONDS;
        const probeEndpoints =
          health?.getOptionalBoolean('probeEndpoints') ?? true;
        const probeTimeoutSeconds =
          health?.getOptionalNumber('probeTimeoutSeconds') ??
          DEFAULT_PROBE_TIMEOUT_SECONDS;
        const sharedView = health?.getOptionalBoolean('sharedView') ?? true;
        const watchSeconds =
          health?.getOptionalNumber('watchSeconds') ?? DEFAULT_WATCH_SECONDS;
        const staleSeconds =
          health?.getOptionalNumber('staleSeconds') ?? DEFAULT_STALE_SECONDS;

        registerTenantPermissions({ permissionsRegistry, catalog, auth });
        const argocdNamespace = readArgocdSettings(config).namespace;
        const tenantNamespaces = readTenantNamespacePolicy(config);
        // One shared view per cluster: the checks read tenants' objects from it, the namespace guard its labels.
        const views = sharedView
          ? new ClusterViews({
              stream: (cluster, timeoutMs) =>
                kubeConfigStream(buildKubeConfig(cluster, 'read'), timeoutMs),
              watchSeconds,
              staleSeconds,
              tenantNamespaces,
              logger,
              argocdNamespace,
            })
          : undefined;
        if (views) lifecycle.addShutdownHook(() => views.stop());
        const checker = new TenantHealthChecker({
          clusters,
          clientFactory,
          cache,
          cacheSeconds,
          ...(probeEndpoints
            ? {
                probe: {
                  fetch: probeFetch,
                  timeoutMs: probeTimeoutSeconds * 1000,
                },
              }
            : {}),
          logger,
          lifecycle: {
            pullRequests: {
              integrations: ScmIntegrations.fromConfig(config),
              localTargets: readLocalGitTargets(config),
              github: githubClientFactory,
              gitlab: gitlabClientFactory,
            },
            argocdNamespace,
            charts: readChartsSettings(config),
          },
          ...(views ? { views } : {}),
        });
        // Only namespaces that are the entity's tenant's (clearml.tenants) are read.
        const namespaceGuard = createTenantNamespaceGuard({
          config,
          clientFactory,
          cacheSeconds,
          policy: tenantNamespaces,
          ...(views ? { views } : {}),
        });
        // Tenants come only from their own file in a configured GitOps repository, or through this plugin's
        // local-git route (as the pull-request action registers them, with the same discovery).
        const tenants = new TenantEntityHealth({
          catalog,
          permissions,
          checker,
          clusters,
          namespaceGuard,
          anchorSources: lazyTenantAnchorSources(config, discovery),
        });
        httpRouter.use(await createRouter({ httpAuth, tenants }));
        httpRouter.use(createFleetRouter({ httpAuth, tenants }));
        // Retired tenants (retire pull request merged, Applications gone) leave the catalog.
        await scheduleRetiredTenantsSweep(
          scheduler,
          health?.getOptionalNumber('retiredSweepSeconds') ??
            DEFAULT_RETIRED_SWEEP_SECONDS,
          { catalog, auth, tenants, logger },
        );
        // The picker shows each cluster's Kubernetes version and whether the configured charts (clearml.charts) accept it.
        httpRouter.use(
          createClustersRouter({
            httpAuth,
            clusters,
            clientFactory,
            charts: readChartsSettings(config),
            images: readImageSettings(config),
          }),
        );
        const localGitTargets = readLocalGitTargets(config);
        if (localGitTargets.length) {
          // The catalog's URL reader fetches without a Backstage token; the route serves catalog-info.yaml files only.
          httpRouter.use(createLocalGitRouter({ targets: localGitTargets }));
          httpRouter.addAuthPolicy({
            path: LOCAL_GIT_ROUTE,
            allow: 'unauthenticated',
          });
        }
        logger.info(
          `ClearML health: ${clusters.length} cluster(s) [${clusters.map(c => c.name).join(', ')}], cache ${cacheSeconds}s, ` +
            `endpoint probes ${probeEndpoints ? `on (${probeTimeoutSeconds}s)` : 'off'}, ` +
            `${sharedView ? `shared cluster view (watches renewed every ${watchSeconds}s)` : 'per-namespace lists'}`,
        );
      },
    });
  },
});
