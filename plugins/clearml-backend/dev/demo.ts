/**
 * What the local instance embeds so the whole flow works with nothing
 * configured: the demo cluster (Kubernetes API double loaded with two
 * tenants), its router in front of the tenants' hosts (for the endpoint
 * probes), and the local git repositories the pull-request action writes to.
 */
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  demoKubernetesVersion,
  DEMO_KUBERNETES_VERSIONS,
  startDemoCluster,
  startDemoRouter,
} from '@internal/clearml-test/src/demo';
import {
  localRepositoryPath,
  readLocalGitTargets,
} from '@clearml-openshift/plugin-clearml-node';
import { ensureBareRepository } from '@clearml-openshift/plugin-clearml-node';
import fs from 'node:fs';
import { clearmlProbeFetchServiceRef } from '../src';

/**
 * `clearml.demo.cluster`: the name of a `clearml.clusters` entry whose
 * `http://127.0.0.1:<port>` URL the demo cluster serves, with that entry's tokens.
 */
function demoClusterConfig(config: Config) {
  const name = config.getOptionalString('clearml.demo.cluster');
  if (!name) return undefined;
  const cluster = (
    config.getOptionalConfigArray('clearml.clusters') ?? []
  ).find(c => c.getString('name') === name);
  if (!cluster)
    throw new Error(
      `clearml.demo.cluster: no cluster named '${name}' under clearml.clusters`,
    );
  const url = new URL(cluster.getString('url'));
  if (!['127.0.0.1', 'localhost'].includes(url.hostname) || !url.port) {
    throw new Error(
      `clearml.demo.cluster: cluster '${name}' must have a loopback URL with a port (got ${url})`,
    );
  }
  return {
    name,
    url: url.toString(),
    port: Number(url.port),
    readToken: cluster.getOptionalString('serviceAccountToken'),
    grantToken: cluster.getOptionalString('grantToken'),
  };
}

/** Creates the bare repository of each `clearml.demo.gitRepositories` entry (`<host>?owner=&repo=`) on first start. */
async function createLocalRepositories(
  config: Config,
  log: (message: string) => void,
) {
  const targets = readLocalGitTargets(config);
  for (const repoUrl of config.getOptionalStringArray(
    'clearml.demo.gitRepositories',
  ) ?? []) {
    const parsed = new URL(`https://${repoUrl}`);
    const target = targets.find(t => t.host === parsed.hostname);
    const owner = parsed.searchParams.get('owner');
    const repo = parsed.searchParams.get('repo');
    if (!target || !owner || !repo) {
      throw new Error(
        `clearml.demo.gitRepositories: ${repoUrl} names no clearml.gitops.localTargets host with owner and repo`,
      );
    }
    const gitdir = localRepositoryPath(target, owner, repo);
    if (fs.existsSync(gitdir)) continue;
    // The same repository the pull-request action would create on its first run, made now so it can be read at once.
    await ensureBareRepository(target, gitdir);
    log(`created the local GitOps repository ${gitdir} (${repoUrl})`);
  }
}

/** Starts the demo cluster and creates the local git repositories before the other plugins serve requests. */
export const demoPlugin = createBackendPlugin({
  pluginId: 'clearml-demo',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        await createLocalRepositories(config, message => logger.info(message));
        const demo = demoClusterConfig(config);
        if (!demo) return;
        const kubernetesVersion = demoKubernetesVersion(
          config.getOptionalString('clearml.demo.kubernetesVersion'),
        );
        const cluster = await startDemoCluster({
          port: demo.port,
          readToken: demo.readToken,
          grantToken: demo.grantToken,
          kubernetesVersion,
        });
        lifecycle.addShutdownHook(() => cluster.close());
        logger.info(
          `demo cluster '${demo.name}' (Kubernetes API double) listening on ${cluster.url}, ` +
            `answering as Kubernetes ${DEMO_KUBERNETES_VERSIONS[kubernetesVersion].gitVersion} (OpenShift ${DEMO_KUBERNETES_VERSIONS[kubernetesVersion].openshift})`,
        );
      },
    });
  },
});

/** The endpoint probes of the health backend reach the demo tenants' hosts through the demo router. */
export const demoProbeFetch = createServiceFactory({
  service: clearmlProbeFetchServiceRef,
  deps: { lifecycle: coreServices.lifecycle },
  async factory({ lifecycle }) {
    const router = await startDemoRouter();
    lifecycle.addShutdownHook(() => router.close());
    return router.fetch;
  },
});
