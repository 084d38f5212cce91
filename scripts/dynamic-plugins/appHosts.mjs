#!/usr/bin/env node
/**
 * Frontend hosts for the exported Scalprum bundle: the modules a Red Hat Developer Hub app shares with its dynamic
 * frontend plugins, at one release's versions, and the app packages the host page renders the plugin with. Like the
 * backend hosts (hosts.mjs), each is a folder installed with npm on demand into a cache directory outside the
 * repository ($CLEARML_DYNAMIC_HOSTS_DIR, default ~/.cache/clearml-openshift/app-host-<name>-<versions hash>), with
 * npm `overrides` pinning every package to the release's version, so a transitive dependency cannot pull in a newer
 * copy of a shared module.
 *
 *   node scripts/dynamic-plugins/appHosts.mjs [rhdh-1.9]   installs them and prints their folders
 *   node scripts/dynamic-plugins/appHosts.mjs bundle rhdh-1.9 <entry> <outfile>
 *       bundles a host page's script (esbuild, installed in the host) against them; prints {dir, sharedVersions}
 *
 * Versions: redhat-developer/rhdh, tag 1.9.8, packages/app/package.json and yarn.lock. The shared modules are the
 * ones `rhdh-cli plugin export` declares shared for a Scalprum bundle (singletons, any version): react, react-dom,
 * react-router(-dom), @backstage/version-bridge, core-app-api, core-plugin-api, frontend-plugin-api, @scalprum/react-core,
 * @openshift/dynamic-plugin-sdk, @material-ui/core/styles, @material-ui/styles, @mui/material, @mui/system,
 * @mui/private-theming, @mui/styled-engine, @emotion/cache, @emotion/react. Everything else (catalog-react among
 * them) the bundle carries itself.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostCacheDir } from './hosts.mjs';

/** What the exporter's Scalprum build shares with the host (rhdh-cli 1.9.1, lib/bundler/scalprumConfig). */
export const SHARED_MODULES = [
  'react',
  'react-dom',
  'react-router-dom',
  'react-router',
  '@backstage/version-bridge',
  '@backstage/core-app-api',
  '@backstage/core-plugin-api',
  '@backstage/frontend-plugin-api',
  '@scalprum/react-core',
  '@openshift/dynamic-plugin-sdk',
  '@material-ui/core/styles',
  '@material-ui/styles',
  '@mui/material',
  '@mui/system',
  '@mui/private-theming',
  '@mui/styled-engine',
  '@emotion/cache',
  '@emotion/react',
];

export const APP_HOSTS = {
  // Developer Hub 1.9 (Backstage 1.45.3), the oldest release supported.
  'rhdh-1.9': {
    release: 'Red Hat Developer Hub 1.9',
    backstage: '1.45.3',
    packages: {
      react: '18.3.1',
      'react-dom': '18.3.1',
      'react-router': '6.30.3',
      'react-router-dom': '6.30.3',
      '@backstage/app-defaults': '1.7.2',
      '@backstage/catalog-model': '1.7.6',
      '@backstage/config': '1.3.6',
      '@backstage/core-app-api': '1.19.2',
      '@backstage/core-components': '0.18.3',
      '@backstage/core-plugin-api': '1.12.0',
      '@backstage/frontend-plugin-api': '0.13.1',
      '@backstage/plugin-catalog-react': '1.21.3',
      '@backstage/plugin-permission-react': '0.4.38',
      '@backstage/theme': '0.7.0',
      '@backstage/version-bridge': '1.0.11',
      '@emotion/cache': '11.14.0',
      '@emotion/react': '11.14.0',
      '@emotion/styled': '11.14.1',
      '@material-ui/core': '4.12.4',
      '@material-ui/styles': '4.11.5',
      '@mui/material': '5.18.0',
      '@mui/private-theming': '5.17.1',
      '@mui/styled-engine': '5.18.0',
      '@mui/system': '5.18.0',
      '@openshift/dynamic-plugin-sdk': '5.0.1',
      '@scalprum/core': '0.9.0',
      '@scalprum/react-core': '0.11.1',
    },
  },
};

/** Bundles the host page's entry (not a Developer Hub package: the test's tool). */
const ESBUILD = '0.25.12';

function log(message) {
  console.log(`[app-host] ${message}`);
}

export function manifestOf(host) {
  return {
    name: 'clearml-app-host',
    private: true,
    description: `The shared modules of ${host.release} (Backstage ${host.backstage})`,
    dependencies: { ...host.packages, esbuild: ESBUILD },
    overrides: { ...host.packages },
  };
}

/** The cache folder of app host `name`: its name carries a hash of what is installed. */
export function appHostDir(name) {
  const host = APP_HOSTS[name];
  if (!host) throw new Error(`no app host ${name} (${Object.keys(APP_HOSTS)})`);
  return hostCacheDir('app-host', name, JSON.stringify(manifestOf(host)));
}

/** Installs app host `name` when its folder is not there yet; returns the folder. */
export function ensureAppHost(name) {
  const host = APP_HOSTS[name];
  const dir = appHostDir(name);
  const done = path.join(dir, '.installed');
  if (fs.existsSync(done)) return dir;
  const started = Date.now();
  log(`installing ${host.release}'s shared modules into ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify(manifestOf(host), null, 2)}\n`,
  );
  const result = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--legacy-peer-deps',
    ],
    { cwd: dir, stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error(`npm install of the ${name} app host failed in ${dir}`);
  fs.writeFileSync(done, new Date().toISOString());
  log(`${name} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

/** The version of `name` the host resolves (a shared module's subpath: its package's). */
export function installedVersion(dir, name) {
  const pkg = name.split('/').slice(0, name.startsWith('@') ? 2 : 1);
  return JSON.parse(
    fs.readFileSync(
      path.join(dir, 'node_modules', ...pkg, 'package.json'),
      'utf8',
    ),
  ).version;
}

/**
 * Bundles `entry` (the host page's script) against the host's node_modules into `outfile`, with `sharedVersions`
 * (module → installed version) defined as `__SHARED_VERSIONS__` for the share scope it builds.
 */
export function bundleAppHost(dir, entry, outfile) {
  const sharedVersions = Object.fromEntries(
    SHARED_MODULES.map(name => [name, installedVersion(dir, name)]),
  );
  // The entry is copied into the host folder: imports resolve from the importing file's folder upwards, and from the
  // repository they would find the repository's own react and @backstage packages.
  const hostEntry = path.join(dir, 'entry', path.basename(entry));
  fs.mkdirSync(path.dirname(hostEntry), { recursive: true });
  fs.copyFileSync(entry, hostEntry);
  const esbuild = createRequire(path.join(dir, 'package.json'))('esbuild');
  esbuild.buildSync({
    entryPoints: [hostEntry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    // Assets as the app's webpack build takes them: inline.
    loader: {
      '.js': 'jsx',
      ...Object.fromEntries(
        ['.svg', '.png', '.jpg', '.gif', '.woff', '.woff2', '.ttf', '.eot'].map(
          ext => [ext, 'dataurl'],
        ),
      ),
    },
    outfile,
    define: {
      'process.env.NODE_ENV': '"production"',
      // webpack (which builds Developer Hub's app) gives browser code Node's `global`; @scalprum/core reads it.
      global: 'window',
      __SHARED_VERSIONS__: JSON.stringify(sharedVersions),
    },
    logLevel: 'warning',
  });
  return sharedVersions;
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === 'bundle') {
    // bundle <host> <entry> <outfile>: installs the host when needed, bundles, prints {dir, sharedVersions}.
    const [name, entry, outfile] = rest;
    const dir = ensureAppHost(name);
    const sharedVersions = bundleAppHost(
      dir,
      path.resolve(entry),
      path.resolve(outfile),
    );
    console.log(JSON.stringify({ dir, sharedVersions }));
  } else {
    const names = first ? [first, ...rest] : ['rhdh-1.9'];
    for (const name of names) console.log(ensureAppHost(name));
  }
}
