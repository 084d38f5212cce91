/*
 * What a user installs from a registry: the five plugin packages are built, packed with `npm pack` (their
 * `backstage-cli package prepack`/`postpack` run), installed from the tarballs into an empty directory outside the
 * repository, and loaded from their `dist` there, by a separate `node` process whose working directory is that
 * directory, so nothing can resolve back into the workspace.
 *
 * Slow by nature (a build, five packs, one install from the npm cache): about three minutes on two cores.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGES, buildAndStage, consumerChecks } from './packing';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');

/** The children get a clean environment: no npm_config_* of the `npm test` that runs jest, no NODE_OPTIONS hooks. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      !/^npm_/i.test(key) &&
      !['NODE_OPTIONS', 'NODE_PATH', 'INIT_CWD'].includes(key)
    )
      env[key] = value;
  }
  return env;
}

async function sh(
  command: string,
  args: string[],
  cwd: string,
  timeout = 5 * 60_000,
) {
  try {
    return await run(command, args, {
      cwd,
      env: childEnv(),
      maxBuffer: 64 * 1024 * 1024,
      timeout,
    });
  } catch (error: any) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`,
    );
  }
}

/** The version the workspace has installed, so the consumer's install is served from the warm npm cache. */
function installedVersion(name: string): string {
  return JSON.parse(
    fs.readFileSync(
      require.resolve(`${name}/package.json`, { paths: [repoRoot] }),
      'utf8',
    ),
  ).version;
}

// What a backend or app adds beside the packages to run them: the scaffolder and the test backend, React, and a bundler
// (frontend packages ship ES modules for the app's bundler, not for Node).
const CONSUMER_DEPENDENCIES = [
  '@backstage/backend-test-utils',
  '@backstage/plugin-scaffolder-backend',
  '@backstage/plugin-catalog-node',
  'react',
  'react-dom',
  'react-router-dom',
  'esbuild',
];

/** The lock scripts/export-dynamic-plugins.mjs holds while it rebuilds the packages' dist/. */
const BUILD_LOCK = path.join(
  repoRoot,
  'node_modules',
  '.cache',
  'clearml-build.lock',
);

function hasFlock(): boolean {
  return spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
}

jest.setTimeout(12 * 60_000);

describe('the packed packages', () => {
  let consumer: string;
  let stagingRoot: string;
  let packed: Map<
    string,
    { filename: string; files: string[]; packageJson: any }
  >;
  const originals = new Map<string, string>();

  beforeAll(async () => {
    // 1. Build as a release does (`npm run build`: type declarations, then every package's dist), and copy the
    //    packages to a staging folder inside the repository (so the CLI finds the repository root). Packing the
    //    copies, a test running beside this one never sees a package.json that prepack rewrote for the tarball.
    //    Both under the build lock the dynamic-plugin export takes too, since it rebuilds dist/ in place.
    const cache = path.join(repoRoot, 'node_modules', '.cache');
    fs.mkdirSync(cache, { recursive: true });
    stagingRoot = fs.mkdtempSync(path.join(cache, 'clearml-packaging-'));
    const stage = path.join(stagingRoot, 'build-and-stage.js');
    fs.writeFileSync(stage, buildAndStage);
    const command = [
      'node',
      stage,
      repoRoot,
      stagingRoot,
      ...PACKAGES.map(p => p.dir),
    ];
    if (hasFlock()) command.unshift('flock', BUILD_LOCK);
    await sh(command[0], command.slice(1), repoRoot, 8 * 60_000);

    // 2. Pack each staged package.
    const tarballs = path.join(stagingRoot, 'tarballs');
    fs.mkdirSync(tarballs, { recursive: true });
    packed = new Map();
    await Promise.all(
      PACKAGES.map(async pkg => {
        const staged = path.join(stagingRoot, pkg.dir);
        originals.set(
          pkg.name,
          fs.readFileSync(path.join(staged, 'package.json'), 'utf8'),
        );
        const { stdout } = await sh(
          'npm',
          ['pack', '--json', '--pack-destination', tarballs],
          staged,
        );
        // The prepack's own output comes first; npm's JSON report is the rest.
        const [result] = JSON.parse(stdout.slice(stdout.search(/^\[\s*$/m)));
        packed.set(pkg.name, {
          filename: path.join(tarballs, result.filename),
          files: result.files.map((f: { path: string }) => f.path),
          packageJson: undefined,
        });
        // postpack restored the package.json prepack rewrote; keep what it was for the check below.
        originals.set(
          `${pkg.name}:after`,
          fs.readFileSync(path.join(staged, 'package.json'), 'utf8'),
        );
      }),
    );

    // 3. Install the tarballs into an empty directory outside the repository.
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-packed-'));
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      // The test backend's database is better-sqlite3: the consumer pins the workspace's version as the workspace
      // does (Backstage's packages ask for 12.x, which aborts on Node 24); 13.x ships prebuilt Node-API binaries, so
      // nothing is compiled even though install scripts are off.
      JSON.stringify({
        name: 'consumer',
        private: true,
        overrides: { 'better-sqlite3': installedVersion('better-sqlite3') },
      }),
    );
    await sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--legacy-peer-deps',
        // No install scripts: they would compile optional native modules (ssh2's cpu-features, ...) for minutes.
        '--ignore-scripts',
        ...PACKAGES.map(pkg => packed.get(pkg.name)!.filename),
        ...CONSUMER_DEPENDENCIES.map(
          name => `${name}@${installedVersion(name)}`,
        ),
      ],
      consumer,
      8 * 60_000,
    );
    for (const pkg of PACKAGES) {
      packed.get(pkg.name)!.packageJson = JSON.parse(
        fs.readFileSync(
          path.join(consumer, 'node_modules', pkg.name, 'package.json'),
          'utf8',
        ),
      );
    }
  });

  afterAll(() => {
    for (const dir of [consumer, stagingRoot]) {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restores each package.json after packing (postpack)', () => {
    for (const pkg of PACKAGES) {
      expect(originals.get(`${pkg.name}:after`)).toBe(originals.get(pkg.name));
    }
  });

  it('ships dist with entry points rewritten to it, and no sources', () => {
    for (const pkg of PACKAGES) {
      const { files, packageJson } = packed.get(pkg.name)!;
      expect(files).toContain('dist/index.d.ts');
      expect(files.filter(f => f.startsWith('src/'))).toEqual([]);
      expect(packageJson.main).toMatch(/^\.\/dist\/index\.(cjs|esm)\.js$/);
      expect(packageJson.types).toBe('./dist/index.d.ts');
      expect(packageJson.exports['.'].types).toBe('./dist/index.d.ts');
      expect(packageJson.exports['./package.json']).toBe('./package.json');
      expect(packageJson.repository).toEqual({
        type: 'git',
        url: 'https://github.com/clearml-openshift/backstage-plugins',
        directory: `plugins/${pkg.dir}`,
      });
      expect(packageJson.scripts.prepack).toBe('backstage-cli package prepack');
    }
  });

  it('ships the compiled config schema and the RBAC file the README points to', () => {
    for (const pkg of PACKAGES.filter(p => p.configSchema)) {
      const { files, packageJson } = packed.get(pkg.name)!;
      expect(packageJson.configSchema).toBe('config.schema.json');
      expect(files).toContain('config.schema.json');
    }
    expect(
      packed.get('@clearml-openshift/plugin-clearml-backend')!.files,
    ).toContain('rbac/clearml-health-reader.yaml');
  });

  it('loads from dist: the scaffolder registers the four actions, the backend answers /v1/clusters, the frontend exports resolve', async () => {
    const script = path.join(consumer, 'check.js');
    fs.writeFileSync(script, consumerChecks);
    const { stdout } = await sh('node', [script], consumer, 3 * 60_000);
    const report = JSON.parse(stdout.trim().split('\n').pop()!);

    // Every module came from the consumer's node_modules, never from the workspace.
    expect(report.resolved.length).toBeGreaterThan(0);
    for (const file of report.resolved) {
      expect(file.startsWith(fs.realpathSync(consumer))).toBe(true);
      expect(file).toMatch(/\/node_modules\/@clearml-openshift\/[^/]+\/dist\//);
    }

    expect(report.actions).toEqual(
      expect.arrayContaining([
        'clearml:gitops:pull-request',
        'clearml:routes:render',
        'clearml:scc:grant',
        'clearml:values:render',
      ]),
    );
    expect(report.clusters.status).toBe(200);
    expect(report.clusters.body).toEqual([
      expect.objectContaining({
        name: 'packed',
        appsDomain: 'apps.packed.example.com',
        canGrant: false,
      }),
    ]);

    expect(report.frontend.exports).toEqual(
      expect.arrayContaining([
        'ClearmlClient',
        'clearmlApiRef',
        'clearmlPlugin',
        'EntityClearmlHealthCard',
        'ClearmlClusterPickerFieldExtension',
        'ClearmlTenantDomainFieldExtension',
        'ClearmlStorageClassFieldExtension',
        'isClearmlTenantAvailable',
      ]),
    );
    expect(report.frontend.pluginId).toBe('clearml');
    expect(report.frontend.tenantAvailable).toEqual({
      annotated: true,
      plain: false,
    });
    // Every further entry point the package declares (./alpha, when present) resolves and exports something.
    for (const [entry, names] of Object.entries(report.frontend.entryPoints)) {
      expect([entry, (names as string[]).length > 0]).toEqual([entry, true]);
    }

    expect(report.common.resolveTenant).toEqual({
      namespace: 'clearml-acme',
      releaseName: 'clearml',
    });
  });
});
