#!/usr/bin/env node
/**
 * Backends that load the exported plugins the way Red Hat Developer Hub does, pinned to a Developer Hub release's
 * Backstage packages (or to this repository's current ones). Each host is a folder with only the backend packages a
 * Developer Hub backend adds statically (catalog, scaffolder, auth, permission with Red Hat's RBAC backend, the
 * dynamic feature loader): nothing of the ClearML plugins' own dependencies, so an exported plugin that relies on
 * the host for anything but a shared `@backstage/*` package fails to load.
 *
 * Installed with npm, on demand, into a cache directory outside the repository
 * ($CLEARML_DYNAMIC_HOSTS_DIR, default ~/.cache/clearml-openshift/dynamic-host-<name>-<versions hash>), like the
 * exporter in export-dynamic-plugins.mjs. `overrides` pin the packages the plugins share with the host to the
 * versions of that release's yarn.lock, so what the plugins run against is what Developer Hub ships, not the newest
 * patch npm would pick.
 *
 *   node scripts/dynamic-plugins/hosts.mjs [rhdh-1.9 rhdh-1.10 current]   installs them and prints their folders
 *
 * Versions: redhat-developer/rhdh, tags 1.9.8 and 1.10.3, backstage.json and packages/backend/package.json, the
 * shared packages from yarn.lock.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** The packages the exported plugins import from the host: pinned per host. */
const SHARED = [
  '@backstage/backend-plugin-api',
  '@backstage/catalog-client',
  '@backstage/catalog-model',
  '@backstage/config',
  '@backstage/errors',
  '@backstage/integration',
  '@backstage/plugin-catalog-node',
  '@backstage/plugin-permission-common',
  '@backstage/plugin-permission-node',
  '@backstage/plugin-scaffolder-node',
];

/** What a Developer Hub backend adds statically that the test uses. */
const HOST_PACKAGES = [
  '@backstage/backend-defaults',
  '@backstage/backend-dynamic-feature-service',
  '@backstage/plugin-auth-backend',
  '@backstage/plugin-auth-node',
  '@backstage/plugin-catalog-backend',
  '@backstage/plugin-catalog-backend-module-scaffolder-entity-model',
  '@backstage/plugin-permission-backend',
  '@backstage/plugin-scaffolder-backend',
  '@backstage-community/plugin-rbac-backend',
];

function repoVersion(name) {
  return JSON.parse(
    fs.readFileSync(
      path.join(root, 'node_modules', name, 'package.json'),
      'utf8',
    ),
  ).version;
}

/**
 * Red Hat's RBAC backend. Developer Hub 1.9 ships 7.6.2 and 1.10 ships 7.12.5; the npm registry reachable here holds
 * 5.2.6, 6.1.0 and 8.1.3 of it, and 8.1.3's own dependencies (@backstage-community/plugin-rbac-common 2.x; the
 * registry has only 1.18.0) are not there: every host runs 6.1.0 (same policy file formats), on the host's pinned
 * Backstage packages (overrides).
 */
const RBAC_BACKEND = '6.1.0';
/**
 * 6.1.0 reads permission metadata through a URL reader of its own `@backstage/backend-defaults` 0.8.x (nested in its
 * node_modules), which builds every SCM reader and crashes on `@backstage/integration` 2.x (no Bitbucket integration
 * there: "Cannot read properties of undefined (reading 'list')"). On hosts whose integration is 2.x that nested copy
 * gets the 1.x it was built for; the plugins still share the host's 2.x.
 */
const RBAC_OWN_INTEGRATION = '1.20.1';

function rbacOverrides(host) {
  const integration = host.shared['@backstage/integration'];
  if (Number(integration.split('.')[0]) < 2) return {};
  return {
    '@backstage-community/plugin-rbac-backend': {
      '.': host.packages['@backstage-community/plugin-rbac-backend'],
      '@backstage/integration': RBAC_OWN_INTEGRATION,
    },
  };
}
/** Its database adapter as Developer Hub 1.9's yarn.lock has it (1.6.2 there): the newest 1.x requires mongodb. */
const RBAC_STAND_INS = { 'typeorm-adapter': '1.6.1', typeorm: '0.3.27' };

export const HOSTS = {
  // Developer Hub 1.9 (Backstage 1.45.3): the oldest release supported. Where the release's exact version is not on
  // the npm registry reachable here, the nearest published one of the same minor is used (noted beside it).
  'rhdh-1.9': {
    release: 'Red Hat Developer Hub 1.9',
    backstage: '1.45.3',
    packages: {
      '@backstage/backend-defaults': '0.13.3',
      '@backstage/backend-dynamic-feature-service': '0.7.2', // ships 0.7.6
      '@backstage/plugin-auth-backend': '0.25.6',
      '@backstage/plugin-auth-node': '0.6.9',
      '@backstage/plugin-catalog-backend': '3.2.0',
      '@backstage/plugin-catalog-backend-module-scaffolder-entity-model':
        '0.2.14',
      '@backstage/plugin-permission-backend': '0.7.6',
      '@backstage/plugin-scaffolder-backend': '3.0.1', // ships 3.0.3
      '@backstage-community/plugin-rbac-backend': RBAC_BACKEND,
    },
    shared: {
      '@backstage/backend-plugin-api': '1.5.0',
      '@backstage/catalog-client': '1.12.1',
      '@backstage/catalog-model': '1.7.6',
      '@backstage/config': '1.3.6',
      '@backstage/errors': '1.2.7',
      '@backstage/integration': '1.20.1', // ships 1.20.0
      '@backstage/plugin-catalog-node': '1.20.0',
      '@backstage/plugin-permission-common': '0.9.3', // ships 0.9.3 and 0.9.6
      '@backstage/plugin-permission-node': '0.10.8',
      '@backstage/plugin-scaffolder-node': '0.12.5',
    },
    // The other @backstage packages this host installs, at the versions of the release's yarn.lock (npm would pick
    // newer ones, which expect newer shared packages than the release's).
    standIns: {
      '@backstage/backend-app-api': '1.3.0',
      '@backstage/backend-dev-utils': '0.1.5',
      '@backstage/backend-openapi-utils': '0.6.3',
      '@backstage/cli-common': '0.1.16',
      '@backstage/cli-node': '0.2.15',
      '@backstage/config-loader': '1.10.6',
      '@backstage/integration-aws-node': '0.1.19',
      '@backstage/plugin-app-node': '0.1.39',
      '@backstage/plugin-bitbucket-cloud-common': '0.3.4',
      '@backstage/plugin-catalog-common': '1.1.7',
      '@backstage/plugin-events-backend': '0.5.4', // 0.5.8 in the lock, not published here
      '@backstage/plugin-events-node': '0.4.17',
      '@backstage/plugin-scaffolder-backend-module-azure': '0.2.15',
      '@backstage/plugin-scaffolder-backend-module-bitbucket': '0.3.16',
      '@backstage/plugin-scaffolder-backend-module-bitbucket-server': '0.2.15',
      '@backstage/plugin-scaffolder-backend-module-gerrit': '0.2.15',
      '@backstage/plugin-scaffolder-backend-module-gitea': '0.2.15',
      '@backstage/plugin-scaffolder-backend-module-github': '0.9.2',
      '@backstage/plugin-search-backend-node': '1.3.17',
      '@backstage/plugin-search-common': '1.2.21',
    },
  },
  // Developer Hub 1.10 (Backstage 1.49.4): not run by default (npm test runs the oldest and the current).
  'rhdh-1.10': {
    release: 'Red Hat Developer Hub 1.10',
    backstage: '1.49.4',
    packages: {
      '@backstage/backend-defaults': '0.16.0',
      '@backstage/backend-dynamic-feature-service': '0.8.7', // ships 0.8.0
      '@backstage/plugin-auth-backend': '0.27.3',
      '@backstage/plugin-auth-node': '0.6.14',
      '@backstage/plugin-catalog-backend': '3.5.0',
      '@backstage/plugin-catalog-backend-module-scaffolder-entity-model':
        '0.2.18',
      '@backstage/plugin-permission-backend': '0.7.10',
      '@backstage/plugin-scaffolder-backend': '3.3.1', // ships 3.3.0
      '@backstage-community/plugin-rbac-backend': RBAC_BACKEND,
    },
    shared: {
      '@backstage/backend-plugin-api': '1.8.0',
      '@backstage/catalog-client': '1.15.0',
      '@backstage/catalog-model': '1.8.0',
      '@backstage/config': '1.3.7',
      '@backstage/errors': '1.3.0',
      '@backstage/integration': '2.0.1',
      '@backstage/plugin-catalog-node': '2.1.0',
      '@backstage/plugin-permission-common': '0.9.8',
      '@backstage/plugin-permission-node': '0.10.11',
      '@backstage/plugin-scaffolder-node': '0.13.1',
    },
  },
  // The versions this repository builds and tests with (its node_modules), and the newest RBAC backend.
  get current() {
    const own = name =>
      HOST_PACKAGES.includes(name) && !name.startsWith('@backstage-community/');
    return {
      release: 'this repository’s Backstage packages',
      // No backstage.json here: the backend-defaults version stands for the release.
      backstage: repoVersion('@backstage/backend-defaults'),
      packages: Object.fromEntries(
        HOST_PACKAGES.map(name => [
          name,
          own(name) && fs.existsSync(path.join(root, 'node_modules', name))
            ? repoVersion(name)
            : CURRENT_EXTRA[name],
        ]),
      ),
      shared: Object.fromEntries(SHARED.map(name => [name, repoVersion(name)])),
    };
  },
};

/** Host packages this repository does not install itself: the newest releases compatible with its Backstage. */
const CURRENT_EXTRA = {
  '@backstage/plugin-permission-backend': '0.7.18',
  '@backstage-community/plugin-rbac-backend': RBAC_BACKEND,
};

export const DEFAULT_HOSTS = ['rhdh-1.9', 'current'];

/**
 * This Node's headers, for node-gyp: beside the binary for an installed Node (`<prefix>/include/node`), or in the
 * platform package the npm registry's `node` package keeps them in (`node/node_modules/node-<platform>-<arch>`).
 */
function nodeHeadersDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const packaged = path.join(
    prefix,
    'node_modules',
    `node-${process.platform}-${process.arch}`,
  );
  if (
    !fs.existsSync(path.join(prefix, 'include', 'node')) &&
    fs.existsSync(path.join(packaged, 'include', 'node'))
  )
    return packaged;
  return prefix;
}

function log(message) {
  console.log(`[dynamic-host] ${message}`);
}

export function manifestOf(host) {
  return {
    name: 'clearml-dynamic-host',
    private: true,
    description: `A backend as ${host.release} (Backstage ${host.backstage}) runs it`,
    dependencies: { ...host.packages },
    overrides: {
      ...host.shared,
      ...RBAC_STAND_INS,
      ...rbacOverrides(host),
      ...host.standIns,
      // One copy, replaced below by the repository's build.
      'better-sqlite3': repoVersion('better-sqlite3'),
    },
  };
}

/**
 * A cache folder outside the repository ($CLEARML_DYNAMIC_HOSTS_DIR, default ~/.cache/clearml-openshift) named
 * `<prefix>-<name>-<hash>`, the hash over `parts` (what is installed, and what it was built for), so a change of
 * either installs afresh. The dynamic hosts and the app hosts use it.
 */
export function hostCacheDir(prefix, name, ...parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const base =
    process.env.CLEARML_DYNAMIC_HOSTS_DIR ||
    path.join(cacheHome, 'clearml-openshift');
  return path.join(
    base,
    `${prefix}-${name}-${hash.digest('hex').slice(0, 10)}`,
  );
}

/** The cache folder of host `name`: its name carries a hash of what is installed and of the Node ABI. */
export function hostDir(name) {
  const host = HOSTS[name];
  if (!host) throw new Error(`no dynamic host ${name} (${Object.keys(HOSTS)})`);
  return hostCacheDir(
    'dynamic-host',
    name,
    JSON.stringify(manifestOf(host)),
    // The native module copied in below is built for this Node.
    process.versions.modules,
  );
}

/** Installs the host `name` when its folder is not there yet; returns the folder. */
export function ensureHost(name) {
  const host = HOSTS[name];
  const dir = hostDir(name);
  const manifest = manifestOf(host);
  const done = path.join(dir, '.installed');
  if (fs.existsSync(done)) return dir;
  const started = Date.now();
  log(`installing ${host.release} (Backstage ${host.backstage}) into ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  const result = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // Install scripts would build better-sqlite3 from source (its prebuilt binaries and Node's headers are not on
      // the npm registry): the repository's own build, made for this Node, is copied in instead.
      '--ignore-scripts',
      '--legacy-peer-deps',
    ],
    { cwd: dir, stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error(`npm install of the ${name} host failed in ${dir}`);
  const sqlite = path.join(dir, 'node_modules', 'better-sqlite3');
  fs.rmSync(sqlite, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), sqlite, {
    recursive: true,
    filter: source => !source.includes(`${path.sep}deps${path.sep}`),
  });
  // scaffolder-backend before 4.x runs templates in isolated-vm, a native module without a prebuilt binary on the
  // npm registry: built here against this Node's own headers (a few minutes).
  if (fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm'))) {
    log('building isolated-vm (native, for the scaffolder) against this Node');
    const built = spawnSync('npm', ['rebuild', 'isolated-vm'], {
      cwd: dir,
      stdio: 'inherit',
      env: {
        ...process.env,
        npm_config_nodedir: nodeHeadersDir(),
      },
    });
    if (built.status !== 0)
      throw new Error(`building isolated-vm failed in ${dir}`);
  }
  fs.writeFileSync(done, new Date().toISOString());
  log(`${name} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : DEFAULT_HOSTS) {
    console.log(ensureHost(name));
  }
}
