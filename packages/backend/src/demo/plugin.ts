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
  DEMO_TENANTS,
  demoTenantEntity,
  demoKubernetesVersion,
  DEMO_KUBERNETES_VERSIONS,
  startDemoCluster,
  startDemoRouter,
} from '.';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  localGitFileUrl,
  parseRepoPickerUrl,
  TENANT_CATALOG_FILE,
  tenantDirectory,
} from '@clearml-openshift/plugin-clearml-common';
import yaml from 'js-yaml';
import {
  localRepositoryPath,
  readLocalGitTargets,
} from '@clearml-openshift/plugin-clearml-node';
import {
  commitLocalFiles,
  ensureBareRepository,
  localBranchHead,
  LocalGitTarget,
  readLocalBlob,
} from '@clearml-openshift/plugin-clearml-node';
import fs from 'node:fs';
import { clearmlProbeFetchServiceRef } from '@clearml-openshift/plugin-clearml-backend';

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

/**
 * The demo tenants are tenants like any other: their catalog files are on the main branch of the first local
 * GitOps repository (one commit adds them on first start), and the catalog registers them from there through the
 * clearml backend's local-git route, which is what makes them tenants (docs/security.md, "Tenant identity").
 */
async function commitDemoTenants(
  target: LocalGitTarget,
  gitdir: string,
): Promise<string> {
  const head = (await localBranchHead(gitdir, target.defaultBranch))!;
  const files = DEMO_TENANTS.map(t => ({
    path: `${tenantDirectory(t.tenant)}/${TENANT_CATALOG_FILE}`,
    content: Buffer.from(
      yaml.dump(demoTenantEntity(t, 'group:default/platform')),
    ),
    mode: '100644' as const,
  }));
  const present = await Promise.all(
    files.map(async f =>
      (await readLocalBlob(gitdir, head, f.path))?.equals(f.content),
    ),
  );
  if (present.every(Boolean)) return head;
  const { commit } = await commitLocalFiles(gitdir, {
    branch: target.defaultBranch,
    expectedHead: head,
    parent: head,
    replace: DEMO_TENANTS.map(t => tenantDirectory(t.tenant)),
    files,
    message: 'Demo tenants acme and vision\n',
    author: target.author,
    where: target.host,
  });
  return commit;
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, lifecycle, discovery, auth, catalog }) {
        await createLocalRepositories(config, message => logger.info(message));
        const [first] =
          config.getOptionalStringArray('clearml.demo.gitRepositories') ?? [];
        const repository = first ? parseRepoPickerUrl(first) : undefined;
        const target = readLocalGitTargets(config).find(
          t => t.host === repository?.host,
        );
        if (repository && target) {
          const gitdir = localRepositoryPath(
            target,
            repository.owner,
            repository.repo,
          );
          const commit = await commitDemoTenants(target, gitdir);
          // Once the backend serves (the catalog reads the files from this backend's local-git route).
          const register = async () => {
            const credentials = await auth.getOwnServiceCredentials();
            const base = await discovery.getBaseUrl('clearml');
            for (const t of DEMO_TENANTS) {
              const url = localGitFileUrl(base, {
                ...repository,
                commit,
                path: `${tenantDirectory(t.tenant)}/${TENANT_CATALOG_FILE}`,
              });
              await catalog
                .addLocation({ type: 'url', target: url }, { credentials })
                .catch(error => {
                  if (error?.name !== 'ConflictError') throw error;
                });
            }
            logger.info(
              `demo tenants ${DEMO_TENANTS.map(t => t.tenant).join(', ')} registered from ${first} at ${commit.slice(0, 12)}`,
            );
          };
          lifecycle.addStartupHook(() => {
            const attempt = (left: number): Promise<void> =>
              register().catch(async error => {
                if (left <= 0) {
                  logger.error(`could not register the demo tenants: ${error}`);
                  return;
                }
                await new Promise(r => setTimeout(r, 1000));
                await attempt(left - 1);
              });
            void attempt(30);
          });
        }
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
