#!/usr/bin/env node
/**
 * `npm run export-dynamic`: exports the three installable packages as Red Hat Developer Hub dynamic plugins with
 * Red Hat's own exporter, `@red-hat-developer-hub/cli plugin export` (docs/developer-hub.md):
 *
 *   plugins/scaffolder-backend-module-clearml/dist-dynamic   backend module, private deps in its node_modules
 *   plugins/clearml-backend/dist-dynamic                     backend plugin, private deps in its node_modules
 *   plugins/clearml/dist-dynamic/dist-scalprum               frontend, a Scalprum (webpack module federation) bundle
 *
 * and copies them into `dynamic-plugins-root/<package>-dynamic`, the layout Developer Hub's
 * `dynamicPlugins.rootDirectory` reads. It packs each exported package (`npm pack` of its dist-dynamic) into
 * `dynamic-plugins-dist/`, beside a `dynamic-plugins.yaml` whose entries name each tarball with its `integrity`
 * (sha512) and its pluginConfig (scripts/dynamic-plugins/plugin-config.yaml): what a stock Developer Hub installs.
 * All of it is build output and git-ignored.
 *
 * The exporter depends on @backstage/cli 0.34 and runs `yarn`, so it is NOT a dependency of this npm workspace: it
 * is installed once, with yarn 1, into a cache directory outside the repository ($RHDH_CLI_DIR, default
 * ~/.cache/clearml-openshift/rhdh-cli-<version>). Options:
 *   --backend     only the two backend packages (what the dynamic-plugins test loads)
 *   --frontend    only the frontend package
 *   --no-root     do not fill dynamic-plugins-root/
 *   --tarball-base-url <url>   where the tarballs will be served from (an HTTP folder); dynamic-plugins.yaml names
 *                 `<url>/<tarball>`. Default: the tarballs' absolute paths here (npm installs a local tarball too).
 *   --oci-tag <tag>            afterwards, `rhdh-cli plugin package --tag <tag>`: one container image of the three
 *                 exported packages (needs podman, or --container-tool docker|buildah)
 *   --oci-export-to <dir>      afterwards, `rhdh-cli plugin package --export-to <dir>`: that image's content in a
 *                 folder, no container tool needed
 *   --oci-only    package what an earlier run exported, without exporting again
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

export const RHDH_CLI_VERSION = '1.9.1';
const YARN_VERSION = '1.22.22';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DYNAMIC_PLUGINS_ROOT = path.join(root, 'dynamic-plugins-root');
export const DYNAMIC_PLUGINS_DIST = path.join(root, 'dynamic-plugins-dist');
const PLUGIN_CONFIG = path.join(
  root,
  'scripts/dynamic-plugins/plugin-config.yaml',
);

// The workspace packages the backends depend on are not published separately: they are embedded (bundled into the
// dynamic plugin with their own dependencies hoisted), as the exporter does for a plugin's -common and -node packages.
const EMBEDDED = [
  '@clearml-openshift/plugin-clearml-common',
  '@clearml-openshift/plugin-clearml-node',
];

export const BACKEND_PACKAGES = [
  {
    dir: 'plugins/scaffolder-backend-module-clearml',
    name: '@clearml-openshift/plugin-scaffolder-backend-module-clearml',
  },
  {
    dir: 'plugins/clearml-backend',
    name: '@clearml-openshift/plugin-clearml-backend',
  },
];
export const FRONTEND_PACKAGE = {
  dir: 'plugins/clearml',
  name: '@clearml-openshift/plugin-clearml',
};

/** The folder name Developer Hub uses for a package in its dynamic plugins root. */
export function dynamicFolderName(packageName) {
  return `${packageName.replace(/^@/, '').replace('/', '-')}-dynamic`;
}

function log(message) {
  console.log(`[export-dynamic] ${message}`);
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}) in ${options.cwd}`,
    );
  }
}

/** Installs the exporter and yarn 1 into the cache directory when they are not there yet; returns its bin folder. */
function ensureExporter() {
  const cacheHome =
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir =
    process.env.RHDH_CLI_DIR ||
    path.join(cacheHome, 'clearml-openshift', `rhdh-cli-${RHDH_CLI_VERSION}`);
  const installed = (name, version) => {
    try {
      return (
        JSON.parse(
          fs.readFileSync(
            path.join(dir, 'node_modules', name, 'package.json'),
            'utf8',
          ),
        ).version === version
      );
    } catch {
      return false;
    }
  };
  if (
    !installed('@red-hat-developer-hub/cli', RHDH_CLI_VERSION) ||
    !installed('yarn', YARN_VERSION)
  ) {
    log(
      `installing @red-hat-developer-hub/cli@${RHDH_CLI_VERSION} and yarn@${YARN_VERSION} into ${dir} (once; a few minutes)`,
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      `${JSON.stringify(
        {
          name: 'rhdh-cli-tools',
          private: true,
          dependencies: {
            '@red-hat-developer-hub/cli': RHDH_CLI_VERSION,
            yarn: YARN_VERSION,
          },
        },
        null,
        2,
      )}\n`,
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
    });
  }
  return path.join(dir, 'node_modules', '.bin');
}

/**
 * The backends' builds (`backstage-cli package build`, run by the exporter) need the packages' declarations in
 * dist-types. Emitted for these four packages only; a type error elsewhere is the type-check's business
 * (`npx tsc --noEmit`), so it is reported here but does not stop the export.
 */
function emitBackendDeclarations() {
  log('emitting declarations of the backend packages (tsc)');
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(
    tsc,
    ['-p', path.join(root, 'scripts/dynamic-plugins/tsconfig.json')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  for (const pkg of [
    ...BACKEND_PACKAGES,
    { dir: 'plugins/clearml-common' },
    { dir: 'plugins/clearml-node' },
  ]) {
    const declarations = path.join(
      root,
      'dist-types',
      pkg.dir,
      'src',
      'index.d.ts',
    );
    if (!fs.existsSync(declarations)) {
      throw new Error(
        `tsc emitted no ${path.relative(root, declarations)}:\n${result.stdout}${result.stderr}`,
      );
    }
  }
  if (result.status !== 0) {
    log(
      `warning: tsc reported type errors (declarations were emitted anyway):\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * The `@backstage/*` packages the embedded packages use become peers the host provides (one version, Developer Hub's).
 * The exporter refuses an embedded package whose range is spelled differently from the plugin's own (`^1.10.3` beside
 * `^1.10.1`) even when both accept the host's version; the host's version is what counts, so it is not checked here.
 */
function sharedDependenciesOfEmbedded() {
  const names = new Set();
  for (const dir of ['plugins/clearml-common', 'plugins/clearml-node']) {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
    );
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (name.startsWith('@backstage/')) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * The exporter copies the monorepo's yarn.lock into dist-dynamic and runs `yarn install --production` there to fill
 * the plugin's private node_modules. This repository uses npm; an empty yarn.lock beside the package (removed
 * afterwards) makes yarn resolve the private dependencies afresh from the registry.
 */
function withEmptyYarnLock(pkgDir, fn) {
  const lock = path.join(pkgDir, 'yarn.lock');
  const created = !fs.existsSync(lock);
  if (created) fs.writeFileSync(lock, '');
  try {
    return fn();
  } finally {
    if (created) fs.rmSync(lock, { force: true });
  }
}

/** The registry npm uses here (yarn 1 would otherwise fetch from its own mirror, registry.yarnpkg.com). */
function npmRegistry() {
  const result = spawnSync('npm', ['config', 'get', 'registry'], {
    cwd: root,
    encoding: 'utf8',
  });
  return (
    (result.status === 0 && result.stdout.trim()) ||
    'https://registry.npmjs.org/'
  );
}

function exportPackage(bin, pkg, args) {
  const pkgDir = path.join(root, pkg.dir);
  log(`${pkg.name}: rhdh-cli plugin export ${args.join(' ')}`);
  withEmptyYarnLock(pkgDir, () =>
    run(path.join(bin, 'rhdh-cli'), ['plugin', 'export', '--clean', ...args], {
      cwd: pkgDir,
      env: {
        ...process.env,
        // The exporter runs `yarn build` and `yarn install`: yarn 1 from the cache directory, on npm's registry.
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        YARN_REGISTRY: npmRegistry(),
      },
    }),
  );
  return path.join(pkgDir, 'dist-dynamic');
}

/** Copies an exported package into dynamic-plugins-root/, as Developer Hub's install step extracts it there. */
function installIntoRoot(pkg, exportedDir) {
  const target = path.join(DYNAMIC_PLUGINS_ROOT, dynamicFolderName(pkg.name));
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(DYNAMIC_PLUGINS_ROOT, { recursive: true });
  fs.cpSync(exportedDir, target, { recursive: true, verbatimSymlinks: true });
  log(`${pkg.name} → ${path.relative(root, target)}`);
  return target;
}

/** Moves the package's dist/ aside while `fn` runs and puts it back afterwards (the exporter overwrites it). */
function withPackageDistSetAside(pkg, fn) {
  const dist = path.join(root, pkg.dir, 'dist');
  const aside = path.join(root, pkg.dir, 'dist.export-dynamic-aside');
  fs.rmSync(aside, { recursive: true, force: true });
  const had = fs.existsSync(dist);
  if (had) fs.renameSync(dist, aside);
  try {
    return fn();
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
    if (had) fs.renameSync(aside, dist);
  }
}

/** `npm pack` of an exported package into dynamic-plugins-dist/; npm reports the tarball's sha512 integrity. */
function packTarball(pkg, exportedDir) {
  fs.mkdirSync(DYNAMIC_PLUGINS_DIST, { recursive: true });
  const result = spawnSync(
    'npm',
    ['pack', '--json', '--pack-destination', DYNAMIC_PLUGINS_DIST],
    // --json lists every file (7,000+ for a backend with its private dependencies): more than spawnSync's 1 MB default.
    { cwd: exportedDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (result.status !== 0)
    throw new Error(`npm pack failed in ${exportedDir}:\n${result.stderr}`);
  const [packed] = JSON.parse(result.stdout);
  log(
    `${pkg.name} → ${path.relative(root, path.join(DYNAMIC_PLUGINS_DIST, packed.filename))} ` +
      `(${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${packed.entryCount} files)`,
  );
  fs.writeFileSync(
    path.join(DYNAMIC_PLUGINS_DIST, `${dynamicFolderName(pkg.name)}.json`),
    `${JSON.stringify(
      {
        name: pkg.name,
        dynamicName: packed.name,
        version: packed.version,
        filename: packed.filename,
        integrity: packed.integrity,
        size: packed.size,
        unpackedSize: packed.unpackedSize,
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * dynamic-plugins-dist/dynamic-plugins.yaml: one entry per packed package, `package` the tarball's URL and
 * `integrity` its sha512, as Developer Hub's install step checks it; pluginConfig from plugin-config.yaml.
 */
export function writeDynamicPluginsYaml(tarballBaseUrl) {
  const pluginConfig = yaml.load(fs.readFileSync(PLUGIN_CONFIG, 'utf8'));
  const plugins = [];
  for (const pkg of [...BACKEND_PACKAGES, FRONTEND_PACKAGE]) {
    const info = path.join(
      DYNAMIC_PLUGINS_DIST,
      `${dynamicFolderName(pkg.name)}.json`,
    );
    if (!fs.existsSync(info)) continue;
    const packed = JSON.parse(fs.readFileSync(info, 'utf8'));
    const config = pluginConfig[pkg.name] ?? {};
    plugins.push({
      package: tarballBaseUrl
        ? `${tarballBaseUrl.replace(/\/$/, '')}/${packed.filename}`
        : path.join(DYNAMIC_PLUGINS_DIST, packed.filename),
      integrity: packed.integrity,
      disabled: false,
      ...(Object.keys(config).length ? { pluginConfig: config } : {}),
    });
  }
  const file = path.join(DYNAMIC_PLUGINS_DIST, 'dynamic-plugins.yaml');
  fs.writeFileSync(
    file,
    `# Written by npm run export-dynamic: the exported packages as tarballs, with their sha512 integrity.\n${yaml.dump(
      { plugins },
      { lineWidth: -1 },
    )}`,
  );
  log(`${path.relative(root, file)}: ${plugins.length} package(s)`);
}

/**
 * `rhdh-cli plugin package` of the exported packages (their dist-dynamic folders, reused as they are): an OCI image
 * with one folder per plugin, which Developer Hub installs as `oci://<image>:<tag>!<folder>`.
 */
export function packageForOci({ tag, exportTo, containerTool } = {}) {
  const bin = ensureExporter();
  const args = ['plugin', 'package'];
  if (exportTo) args.push('--export-to', path.resolve(exportTo));
  else args.push('--tag', tag);
  if (containerTool) args.push('--container-tool', containerTool);
  log(`rhdh-cli ${args.join(' ')}`);
  run(path.join(bin, 'rhdh-cli'), args, {
    cwd: root,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
  });
}

export function exportDynamicPlugins({
  backend = true,
  frontend = true,
  fillRoot = true,
  tarballBaseUrl = undefined,
} = {}) {
  const started = Date.now();
  const bin = ensureExporter();
  const exported = [];
  if (backend) {
    emitBackendDeclarations();
    const args = [
      '--embed-package',
      ...EMBEDDED,
      '--ignore-version-check',
      ...sharedDependenciesOfEmbedded(),
    ];
    for (const pkg of BACKEND_PACKAGES) {
      exported.push([pkg, exportPackage(bin, pkg, args)]);
    }
  }
  if (frontend) {
    // Both bundles: the Scalprum one (dist-scalprum, Developer Hub's legacy frontend) and the module federation one
    // with dist/mf-manifest.json (hosts on the new frontend system; without it the host logs an ERROR at start).
    // The exporter builds the latter into the package's own dist/, which the packaging of the npm package needs as
    // `backstage-cli package build` made it: it is set aside and put back.
    const args = ['--scalprum-config', 'scalprum-config.json'];
    exported.push([
      FRONTEND_PACKAGE,
      withPackageDistSetAside(FRONTEND_PACKAGE, () =>
        exportPackage(bin, FRONTEND_PACKAGE, args),
      ),
    ]);
  }
  if (fillRoot) {
    for (const [pkg, dir] of exported) installIntoRoot(pkg, dir);
  }
  for (const [pkg, dir] of exported) packTarball(pkg, dir);
  writeDynamicPluginsYaml(tarballBaseUrl);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The export rebuilds the packages' dist/ in place (the exporter runs `yarn build` in each), as `npm run build` does.
 * Anything else that builds or reads them at the same time (a packaging test beside this one in `npm test`) takes the
 * same lock: `flock node_modules/.cache/clearml-build.lock <command>`. Re-runs itself under it when flock exists.
 */
export const BUILD_LOCK = path.join(
  root,
  'node_modules',
  '.cache',
  'clearml-build.lock',
);

function rerunUnderBuildLock() {
  if (process.env.CLEARML_BUILD_LOCK_HELD === '1') return false;
  if (spawnSync('flock', ['--version'], { stdio: 'ignore' }).status !== 0)
    return false;
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const result = spawnSync(
    'flock',
    [BUILD_LOCK, process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, CLEARML_BUILD_LOCK_HELD: '1' },
    },
  );
  process.exit(result.status ?? 1);
  return true;
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  rerunUnderBuildLock();
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const only = args.has('--backend') || args.has('--frontend');
  const option = name => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  try {
    if (!args.has('--oci-only')) {
      exportDynamicPlugins({
        backend: !only || args.has('--backend'),
        frontend: !only || args.has('--frontend'),
        fillRoot: !args.has('--no-root'),
        tarballBaseUrl: option('--tarball-base-url'),
      });
    }
    if (option('--oci-tag') || option('--oci-export-to')) {
      packageForOci({
        tag: option('--oci-tag'),
        exportTo: option('--oci-export-to'),
        containerTool: option('--container-tool'),
      });
    }
  } catch (error) {
    console.error(`[export-dynamic] ${error.message}`);
    process.exit(1);
  }
}
