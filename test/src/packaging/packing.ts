/*
 * The published packages, how the packaging test stages them, and the script it runs in the consumer directory.
 */

/** The five packages a release publishes (the `@internal/*` packages and the local instance's are private and never packed). */
export const PACKAGES = [
  {
    dir: 'clearml-common',
    name: '@clearml-openshift/plugin-clearml-common',
    configSchema: false,
  },
  {
    dir: 'clearml-node',
    name: '@clearml-openshift/plugin-clearml-node',
    configSchema: true,
  },
  {
    dir: 'scaffolder-backend-module-clearml',
    name: '@clearml-openshift/plugin-scaffolder-backend-module-clearml',
    configSchema: true,
  },
  {
    dir: 'clearml-backend',
    name: '@clearml-openshift/plugin-clearml-backend',
    configSchema: true,
  },
  {
    dir: 'clearml',
    name: '@clearml-openshift/plugin-clearml',
    configSchema: false,
  },
] as const;

/*
 * Runs under the build lock with plain `node`: `npm run build` in the repository, then copies each package folder
 * (without node_modules) to the staging folder, where `npm pack` runs its prepack and postpack.
 * Arguments: the repository root, the staging folder, the package folders under plugins/.
 */
export const buildAndStage = String.raw`
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [root, staging, ...dirs] = process.argv.slice(2);
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
for (const dir of dirs) {
  fs.cpSync(path.join(root, 'plugins', dir), path.join(staging, dir), {
    recursive: true,
    filter: file => path.basename(file) !== 'node_modules',
  });
}
`;

/*
 * Runs in the consumer directory with plain `node` (CommonJS, no TypeScript, no jest), so every `require` resolves
 * from that directory's node_modules. Prints one line of JSON for the test to check.
 */
export const consumerChecks = String.raw`
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const resolved = [];
function load(name) {
  resolved.push(fs.realpathSync(require.resolve(name)));
  return require(name);
}

async function backends(common) {
  const { startTestBackend, mockServices, mockCredentials } = require('@backstage/backend-test-utils');
  const { catalogServiceMock } = require('@backstage/plugin-catalog-node/testUtils');
  const scaffolderPlugin = require('@backstage/plugin-scaffolder-backend').default;
  const scaffolderModule = load('@clearml-openshift/plugin-scaffolder-backend-module-clearml').default;
  const clearmlBackend = load('@clearml-openshift/plugin-clearml-backend').default;

  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModule,
      clearmlBackend,
      mockServices.rootConfig.factory({
        data: {
          backend: { workingDirectory: os.tmpdir() },
          // A cluster nothing listens on: the clusters endpoint only reads config.
          clearml: {
            clusters: [
              { name: 'packed', url: 'https://127.0.0.1:1', serviceAccountToken: 'packed-token', appsDomain: 'apps.packed.example.com' },
            ],
          },
        },
      }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  try {
    const base = 'http://127.0.0.1:' + backend.server.address().port + '/api';
    const headers = { Authorization: mockCredentials.user.header() };
    const listed = await fetch(base + '/scaffolder/v2/actions', { headers });
    const actions = (await listed.json()).map(a => a.id).filter(id => id.startsWith('clearml:')).sort();
    const clustersResponse = await fetch(base + '/clearml/v1/clusters', { headers });
    const clusters = { status: clustersResponse.status, body: await clustersResponse.json() };
    return { actions, clusters };
  } finally {
    await backend.stop();
  }
}

// Frontend packages ship ES modules for an app's bundler; bundle each entry point as an app would, then load it.
function frontend(common) {
  const esbuild = require('esbuild');
  const name = '@clearml-openshift/plugin-clearml';
  const { exports: entries } = require(name + '/package.json');
  const loaded = {};
  for (const entry of Object.keys(entries).filter(e => e !== './package.json')) {
    const specifier = entry === '.' ? name : name + entry.slice(1);
    const outfile = path.join(process.cwd(), 'bundle-' + (entry === '.' ? 'index' : entry.slice(2)) + '.cjs');
    const result = esbuild.buildSync({
      stdin: { contents: 'module.exports = require(' + JSON.stringify(specifier) + ');', resolveDir: process.cwd() },
      absWorkingDir: process.cwd(),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      nodePaths: [],
      metafile: true,
      logLevel: 'error',
      loader: { '.svg': 'dataurl', '.png': 'dataurl', '.css': 'empty' },
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      if (input.includes('node_modules/@clearml-openshift/')) resolved.push(fs.realpathSync(path.resolve(input)));
    }
    loaded[entry] = require(outfile);
  }
  const index = loaded['.'];
  const annotations = Object.fromEntries(common.REQUIRED_CLEARML_ANNOTATIONS.map(key => [key, 'packed']));
  const entity = annotations => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: 'packed', annotations } });
  return {
    exports: Object.keys(index),
    pluginId: index.clearmlPlugin.getId(),
    tenantAvailable: {
      annotated: index.isClearmlTenantAvailable(entity(annotations)),
      plain: index.isClearmlTenantAvailable(entity({})),
    },
    entryPoints: Object.fromEntries(Object.entries(loaded).filter(([e]) => e !== '.').map(([e, m]) => [e, Object.keys(m)])),
  };
}

async function main() {
  const common = load('@clearml-openshift/plugin-clearml-common');
  load('@clearml-openshift/plugin-clearml-node');
  const tenant = common.resolveTenant({ tenant: 'acme', domain: 'acme.apps.example.com' });
  const report = {
    common: { resolveTenant: { namespace: tenant.namespace, releaseName: tenant.releaseName } },
    ...(await backends(common)),
    frontend: frontend(common),
  };
  report.resolved = [...new Set(resolved)];
  process.stdout.write('\n' + JSON.stringify(report) + '\n');
  // Loggers and database pools of the stopped backend may hold timers; the report is written.
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
`;
