/**
 * Backstage's kubernetes-backend for the benchmark's side-by-side run, installed on demand into a cache directory
 * outside the workspace (it pulls the AWS, Azure and Google Cloud SDKs, which no install of this repository should
 * carry): $KUBERNETES_BACKEND_DIR, default ~/.cache/clearml-openshift/kubernetes-backend-<version>. Installed once
 * with npm (the registry must be reachable then); later runs load it from there without network.
 *
 * Its own copies of backend-plugin-api and plugin-catalog-node (the same release line as the workspace's) work with
 * the workspace's startTestBackend: features are matched by their `$$type` marker and services by their id, not by
 * instanceof.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackendFeature } from '@backstage/backend-plugin-api';

export const KUBERNETES_BACKEND_PACKAGE =
  '@backstage/plugin-kubernetes-backend';
/** The release for this Backstage line: backend-plugin-api ^1.10.1, plugin-catalog-node ^2.2.5, client-node 1.4.0. */
export const KUBERNETES_BACKEND_VERSION = '0.21.11';

export function kubernetesBackendDir(): string {
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return (
    process.env.KUBERNETES_BACKEND_DIR ||
    path.join(
      cacheHome,
      'clearml-openshift',
      `kubernetes-backend-${KUBERNETES_BACKEND_VERSION}`,
    )
  );
}

function installedVersion(dir: string): string | undefined {
  try {
    return JSON.parse(
      fs.readFileSync(
        path.join(
          dir,
          'node_modules',
          KUBERNETES_BACKEND_PACKAGE,
          'package.json',
        ),
        'utf8',
      ),
    ).version;
  } catch {
    return undefined;
  }
}

/** Installs the package into the cache directory when it is not there yet; returns the directory. */
export function ensureKubernetesBackend(
  log: (message: string) => void,
): string {
  const dir = kubernetesBackendDir();
  if (installedVersion(dir) === KUBERNETES_BACKEND_VERSION) return dir;
  log(
    `installing ${KUBERNETES_BACKEND_PACKAGE}@${KUBERNETES_BACKEND_VERSION} into ${dir} (once; about a minute)`,
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'kubernetes-backend-benchmark',
        private: true,
        dependencies: {
          [KUBERNETES_BACKEND_PACKAGE]: KUBERNETES_BACKEND_VERSION,
        },
      },
      null,
      2,
    )}\n`,
  );
  // --legacy-peer-deps: its peers are the backend's own packages, which the workspace provides at run time anyway.
  const result = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--legacy-peer-deps',
      '--loglevel=error',
    ],
    { cwd: dir, stdio: 'inherit' },
  );
  if (
    result.status !== 0 ||
    installedVersion(dir) !== KUBERNETES_BACKEND_VERSION
  ) {
    throw new Error(
      `npm install of ${KUBERNETES_BACKEND_PACKAGE}@${KUBERNETES_BACKEND_VERSION} into ${dir} failed (exit ${
        result.status ?? result.signal
      }); run the benchmark with --without-kubernetes-backend to leave the side-by-side run out`,
    );
  }
  return dir;
}

/** The kubernetes-backend plugin (its default export), loaded from the cache directory. */
export function loadKubernetesBackend(
  log: (message: string) => void,
): BackendFeature {
  const dir = ensureKubernetesBackend(log);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(
    path.join(dir, 'node_modules', KUBERNETES_BACKEND_PACKAGE),
  );
  const feature = mod.default ?? mod.kubernetesPlugin;
  if (feature?.$$type !== '@backstage/BackendFeature') {
    throw new Error(
      `${KUBERNETES_BACKEND_PACKAGE} in ${dir} has no backend feature as its default export`,
    );
  }
  return feature;
}
