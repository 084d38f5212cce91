/**
 * The two backend packages as Red Hat Developer Hub loads them: exported with Red Hat's exporter
 * (`scripts/export-dynamic-plugins.mjs`, run here so a fresh clone's `npm test` needs nothing else; once for this
 * suite and scalprumFrontend.test.ts), installed from their tarballs with the frontend beside them, and loaded by Backstage's dynamic feature loader in a backend of its own (a separate Node
 * process, `__testUtils__/dynamicBackend.js`) whose packages come from a host folder pinned to one Developer Hub
 * release (`scripts/dynamic-plugins/hosts.mjs`): the oldest supported release and this repository's current
 * Backstage versions. Each host runs with RBAC on, loaded from the policy files docs/developer-hub.md gives
 * (`docs/developer-hub/rbac-*.{csv,yaml}`), runs the New ClearML tenant template as a platform engineer and as a
 * requester, and reads tenants' health as each. The cluster and GitHub are the API doubles of the end-to-end suites.
 *
 * Slow by nature: the export builds the three packages and installs the backends' private dependencies (7–10
 * minutes; the first run on a machine also installs the exporter), the first run installs each host (1–3 min each,
 * cached in ~/.cache/clearml-openshift), and each host starts in 20–40 s. DYNAMIC_PLUGINS_REUSE_EXPORT=1 reuses
 * dynamic-plugins-dist/; DYNAMIC_HOSTS=rhdh-1.9,rhdh-1.10,current picks the hosts (default: rhdh-1.9,current).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import yaml from 'js-yaml';
import net from 'net';
import os from 'os';
import path from 'path';
import {
  CLUSTER,
  E2eWorld,
  startWorld,
  tenantFormValues,
} from '../e2e/fixtures';
import {
  BackendApi,
  eventually,
  runTenantTemplate,
} from '../e2e/__testUtils__/backendApi';
import {
  DYNAMIC_PLUGINS_DIST as DIST,
  EXPORT_TIMEOUT_MS,
  exportDynamicPluginsOnce,
  runNode,
} from './__testUtils__/exportOnce';

jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, '../../..');
/** Where the test installs the tarballs, as Developer Hub's install step does into its dynamic plugins root. */
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-dynamic-root-'));
const HOST_INSTALL_TIMEOUT_MS = 30 * 60_000;
const HOSTS = (process.env.DYNAMIC_HOSTS ?? 'rhdh-1.9,current')
  .split(',')
  .map(h => h.trim())
  .filter(Boolean);
const RBAC_DIR = path.join(REPO, 'docs', 'developer-hub');
/** The frontend, in the same root: a host logs an ERROR at start for a frontend without its module federation assets. */
const FRONTEND_FOLDER = 'clearml-openshift-plugin-clearml-dynamic-0.1.0';
const FRONTEND_NAME = '@clearml-openshift/plugin-clearml-dynamic';

const PLUGINS = {
  module: {
    folder:
      'clearml-openshift-plugin-scaffolder-backend-module-clearml-dynamic-0.1.0',
    name: '@clearml-openshift/plugin-scaffolder-backend-module-clearml-dynamic',
    role: 'backend-plugin-module',
    // Dependencies only this package has: they must travel with it.
    privateDependencies: [
      '@kubernetes/client-node',
      'octokit',
      'isomorphic-git',
      'js-yaml',
      'zod',
    ],
  },
  backend: {
    folder: 'clearml-openshift-plugin-clearml-backend-dynamic-0.1.0',
    name: '@clearml-openshift/plugin-clearml-backend-dynamic',
    role: 'backend-plugin',
    privateDependencies: [
      '@kubernetes/client-node',
      'express-promise-router',
      'zod',
    ],
  },
};

// The users of the e2e world's catalog (people.yaml) in docs/developer-hub/rbac-policy.csv's two roles, and one with none.
const ALICE = 'alice'; // group:default/platform → role:default/clearml-platform
const BOB = 'bob'; // group:default/ml-team → role:default/clearml-requester
const MALLORY = 'mallory'; // no group, no role

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Installs the entries of dynamic-plugins-dist/dynamic-plugins.yaml as Developer Hub's install step does with an npm
 * tarball: refuses one whose sha512 is not its `integrity`, and extracts the package into a folder of the root.
 */
function installFromTarballs(): Array<{ folder: string; entry: any }> {
  const { plugins } = yaml.load(
    fs.readFileSync(path.join(DIST, 'dynamic-plugins.yaml'), 'utf8'),
  ) as { plugins: any[] };
  return plugins.map(entry => {
    const tarball: string = entry.package;
    const integrity = `sha512-${crypto
      .createHash('sha512')
      .update(fs.readFileSync(tarball))
      .digest('base64')}`;
    expect([path.basename(tarball), integrity]).toEqual([
      path.basename(tarball),
      entry.integrity,
    ]);
    const folder = path.basename(tarball, '.tgz');
    fs.mkdirSync(path.join(ROOT, folder));
    execFileSync('tar', [
      'xzf',
      tarball,
      '-C',
      path.join(ROOT, folder),
      '--strip-components=1',
    ]);
    return { folder, entry };
  });
}

let installed: Array<{ folder: string; entry: any }> = [];

function manifest(folder: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8'),
  );
}

/** A started host: its URL, its log, and requests as one of the users. */
interface DynamicHost {
  baseUrl: string;
  log: () => string;
  as(user: string): BackendApi;
  stop(): Promise<void>;
}

async function startHost(
  hostDir: string,
  world: E2eWorld,
): Promise<DynamicHost> {
  const port = await freePort();
  // localhost: the catalog reads the tenants' local-git catalog files from this backend (backend.reading.allow).
  const baseUrl = `http://localhost:${port}`;
  const worldConfig = world.config as any;
  const config = {
    ...worldConfig,
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      ...worldConfig.backend,
      baseUrl,
      listen: { host: '127.0.0.1', port },
      // A database file per plugin, as the local instance has it.
      database: {
        client: 'better-sqlite3',
        connection: { directory: path.join(world.workDir, 'databases') },
      },
    },
    auth: { providers: { test: {} } },
    permission: {
      enabled: true,
      rbac: {
        'policies-csv-file': path.join(RBAC_DIR, 'rbac-policy.csv'),
        conditionalPoliciesFile: path.join(
          RBAC_DIR,
          'rbac-conditional-policies.yaml',
        ),
        pluginsWithPermission: ['catalog', 'scaffolder', 'clearml'],
      },
    },
    dynamicPlugins: { rootDirectory: ROOT },
  };
  const configFile = path.join(world.workDir, 'app-config.yaml');
  fs.writeFileSync(configFile, yaml.dump(config));

  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // As Developer Hub's image runs it: the scaffolder's isolated-vm needs it on Node 20 and later.
      '--no-node-snapshot',
      path.join(__dirname, '__testUtils__', 'dynamicBackend.js'),
      '--config',
      configFile,
    ],
    {
      cwd: hostDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        // As in Developer Hub's image: the dynamic plugins root is outside the backend's folder.
        NODE_PATH: path.join(hostDir, 'node_modules'),
      },
    },
  );
  child.stdout!.on('data', chunk => (log += chunk));
  child.stderr!.on('data', chunk => (log += chunk));

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the backend exited (${child.exitCode}):\n${log}`);
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline)
      throw new Error(`the backend was not ready within 180 s:\n${log}`);
    await new Promise(r => setTimeout(r, 500));
  }

  const tokens = new Map<string, string>();
  const token = async (user: string) => {
    if (!tokens.has(user)) {
      const response = await fetch(`${baseUrl}/api/auth/test/refresh`, {
        headers: { 'x-test-user': user },
      });
      const body = await response.json();
      if (!response.ok)
        throw new Error(`${user} could not sign in: ${JSON.stringify(body)}`);
      tokens.set(user, body.backstageIdentity.token);
    }
    return tokens.get(user)!;
  };
  const as =
    (user: string): BackendApi =>
    async (urlPath, init = {}) => {
      const response = await fetch(`${baseUrl}${urlPath}`, {
        ...init,
        headers: {
          authorization: `Bearer ${await token(user)}`,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      });
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        return { status: response.status, body: text };
      }
    };

  // Users sign in against their catalog entities, and the task needs the template: wait for both.
  await eventually(
    'the users and the template in the catalog',
    async () => {
      const { status } = await as(ALICE)(
        '/api/catalog/entities/by-name/template/default/clearml-tenant',
      );
      return status === 200 ? true : undefined;
    },
    120_000,
  ).catch(error => {
    throw new Error(`${error.message}\n${log}`);
  });

  return {
    baseUrl,
    log: () => log,
    as,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise(r => (timer = setTimeout(r, 10_000))),
      ]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

beforeAll(async () => {
  await exportDynamicPluginsOnce();
  installed = installFromTarballs();
}, EXPORT_TIMEOUT_MS + 60_000);

afterAll(() => fs.rmSync(ROOT, { recursive: true, force: true }));

describe('the exported packages', () => {
  it('are tarballs with their integrity in dynamic-plugins.yaml, each with its pluginConfig', () => {
    expect(installed.map(i => i.folder).sort()).toEqual(
      [PLUGINS.module.folder, PLUGINS.backend.folder, FRONTEND_FOLDER].sort(),
    );
    const config = yaml.load(
      fs.readFileSync(
        path.join(REPO, 'scripts/dynamic-plugins/plugin-config.yaml'),
        'utf8',
      ),
    ) as Record<string, any>;
    const entry = (folder: string) =>
      installed.find(i => i.folder === folder)!.entry;
    expect(entry(PLUGINS.backend.folder).pluginConfig).toEqual(
      config['@clearml-openshift/plugin-clearml-backend'],
    );
    expect(entry(PLUGINS.module.folder)).not.toHaveProperty('pluginConfig');
    expect(entry(FRONTEND_FOLDER).pluginConfig).toEqual(
      config['@clearml-openshift/plugin-clearml'],
    );
  });

  it("packs into the OCI image's layout with the folder names docs/developer-hub.md installs them by", async () => {
    const content = path.join(ROOT, '..', `${path.basename(ROOT)}-oci`);
    try {
      const packaged = await runNode(
        [
          path.join(REPO, 'scripts/export-dynamic-plugins.mjs'),
          '--oci-only',
          '--oci-export-to',
          content,
        ],
        5 * 60_000,
      );
      expect([
        packaged.code,
        packaged.code === 0 ? '' : packaged.output,
      ]).toEqual([0, '']);
      const documented = [
        ...fs
          .readFileSync(path.join(REPO, 'docs', 'developer-hub.md'), 'utf8')
          .matchAll(/oci:\/\/[^!\s]+!([\w.-]+)/g),
      ].map(m => m[1]);
      const folders = fs
        .readdirSync(content)
        .filter(f => fs.statSync(path.join(content, f)).isDirectory());
      expect(folders.sort()).toEqual([...new Set(documented)].sort());
      // Each folder is the exported package, as the tarballs carry it.
      const names = folders.map(
        f =>
          JSON.parse(
            fs.readFileSync(path.join(content, f, 'package.json'), 'utf8'),
          ).name,
      );
      expect(names.sort()).toEqual(
        [PLUGINS.module.name, PLUGINS.backend.name, FRONTEND_NAME].sort(),
      );
    } finally {
      fs.rmSync(content, { recursive: true, force: true });
    }
  });

  it.each(Object.values(PLUGINS))(
    '$name: Backstage packages are peers, private dependencies travel in its node_modules',
    ({ folder, name, role, privateDependencies }) => {
      const pkg = manifest(folder);
      expect([pkg.name, pkg.backstage.role, pkg.main]).toEqual([
        name,
        role,
        './dist/index.cjs.js',
      ]);
      const dependencies = Object.keys(pkg.dependencies ?? {});
      expect(dependencies.filter(d => d.startsWith('@backstage/'))).toEqual([]);
      expect(Object.keys(pkg.peerDependencies)).toEqual(
        expect.arrayContaining(['@backstage/backend-plugin-api']),
      );
      // The oldest supported Developer Hub's Backstage packages are admitted.
      expect(pkg.peerDependencies['@backstage/backend-plugin-api']).toBe(
        '^1.5.0',
      );
      for (const dependency of privateDependencies) {
        expect([
          dependency,
          fs.existsSync(
            path.join(ROOT, folder, 'node_modules', dependency, 'package.json'),
          ),
        ]).toEqual([dependency, true]);
      }
      // The host's copy is the one used: none bundled.
      expect(
        fs.existsSync(path.join(ROOT, folder, 'node_modules', '@backstage')),
      ).toBe(false);
      // The workspace packages are embedded, not fetched from a registry they were never published to.
      for (const embedded of [
        '@clearml-openshift/plugin-clearml-common',
        '@clearml-openshift/plugin-clearml-node',
      ]) {
        expect(pkg.dependencies[embedded]).toMatch(/^file:\.\/embedded\//);
      }
      // The config schema Developer Hub validates app-config against.
      const schema = JSON.parse(
        fs.readFileSync(
          path.join(ROOT, folder, 'dist', 'configSchema.json'),
          'utf8',
        ),
      );
      expect(JSON.stringify(schema)).toContain('"clearml"');
    },
  );
});

describe.each(HOSTS)(
  'a %s backend that loads them dynamically, RBAC on',
  hostName => {
    let world: E2eWorld;
    let host: DynamicHost;
    let hostDir: string;

    beforeAll(async () => {
      const hostInstall = await runNode(
        [path.join(REPO, 'scripts/dynamic-plugins/hosts.mjs'), hostName],
        HOST_INSTALL_TIMEOUT_MS,
      );
      if (hostInstall.code !== 0)
        throw new Error(
          `installing the ${hostName} host failed:\n${hostInstall.output}`,
        );
      hostDir = hostInstall.stdout.trim().split('\n').pop()!;
      world = await startWorld();
      host = await startHost(hostDir, world);
    }, HOST_INSTALL_TIMEOUT_MS + 240_000);

    const bindingsOf = (namespace: string) =>
      world.kubernetes
        .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
        .map(b => b.metadata?.name);

    afterAll(async () => {
      await host?.stop();
      // The host's log, for a failure's diagnosis.
      if (host) {
        fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
        fs.writeFileSync(
          path.join(REPO, 'test-results', `dynamic-host-${hostName}.log`),
          host.log(),
        );
      }
      await world?.close();
    });

    it('lists the clearml:* actions of the dynamically loaded scaffolder module, with their input schemas', async () => {
      const { status, body } = await host.as(ALICE)(
        '/api/scaffolder/v2/actions',
      );
      expect(status).toBe(200);
      const actions = (
        body as Array<{ id: string; schema?: { input?: any } }>
      ).filter(a => a.id.startsWith('clearml:'));
      expect(actions.map(a => a.id)).toEqual(
        expect.arrayContaining([
          'clearml:values:render',
          'clearml:routes:render',
          'clearml:argocd:render',
          'clearml:catalog-info:render',
          'clearml:gitops:pull-request',
          'clearml:scc:grant',
        ]),
      );
      // The zod schemas of the plugin's private zod came through as JSON schema.
      const valuesRender = actions.find(a => a.id === 'clearml:values:render')!;
      expect(valuesRender.schema?.input?.properties).toEqual(
        expect.objectContaining({
          tenant: expect.anything(),
          domain: expect.anything(),
        }),
      );
    });

    it('answers GET /api/clearml/v1/clusters from the dynamically loaded clearml backend, and refuses a caller without a token', async () => {
      const { status, body } = await host.as(BOB)('/api/clearml/v1/clusters');
      expect(status).toBe(200);
      expect(body).toEqual([
        expect.objectContaining({ name: CLUSTER, canGrant: true }),
      ]);
      expect(
        (await fetch(`${host.baseUrl}/api/clearml/v1/clusters`)).status,
      ).toBe(401);
    });

    it('the platform engineer runs the template with the grant step: the binding is made', async () => {
      const { status, log, task } = await runTenantTemplate(
        host.as(ALICE),
        tenantFormValues('kappa', {
          applyGrants: true,
          owner: 'group:default/platform',
        }),
        120_000,
      );
      const events =
        status === 'failed'
          ? JSON.stringify(
              (
                await host.as(ALICE)(
                  `/api/scaffolder/v2/tasks/${task.id}/events`,
                )
              ).body,
            )
          : '';
      expect([status, log, events]).toEqual([
        'completed',
        expect.stringContaining('Beginning step Apply SCC grants'),
        '',
      ]);
      expect(bindingsOf('clearml-kappa')).toEqual([
        'system:openshift:scc:anyuid',
      ]);
    });

    it('a requester runs it with Apply SCC grants ticked: no grant step runs, nothing is made on the cluster', async () => {
      const { status, log } = await runTenantTemplate(
        host.as(BOB),
        tenantFormValues('nu', { applyGrants: true }),
        120_000,
      );
      expect(status).toBe('completed');
      expect(log).not.toContain('Beginning step Apply SCC grants');
      expect(bindingsOf('clearml-nu')).toEqual([]);
      expect(
        world.kubernetes.get('v1', 'Namespace', 'clearml-nu'),
      ).toBeUndefined();
      // RBAC backend 6.1.0 maps the conditional policy's `read` on scaffolder-template to the first read permission
      // only (scaffolder.template.parameter.read), so scaffolder.template.step.read has no policy for the requester
      // and every step is dropped; with a plain `p, role:default/clearml-requester, scaffolder.template.step.read,
      // read, allow` the grant step would run. What the policy files give on Developer Hub's own RBAC backend
      // (7.x) is the pull request without the grant step; the security suite checks that decision in the scaffolder.
      expect(log).toContain('Starting up task with');
    });

    it("a requester's own template that calls clearml:scc:grant is refused at that step (HAS_ACTION_ID)", async () => {
      const template = {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'grant-only' },
        spec: {
          owner: 'user:default/bob',
          type: 'service',
          parameters: [],
          steps: [
            {
              id: 'grant',
              action: 'clearml:scc:grant',
              input: {
                cluster: CLUSTER,
                tenant: 'mu',
                createNamespace: true,
              },
            },
          ],
        },
      };
      const writes = world.kubernetes.writeRequests().length;
      const { status, body } = await host.as(BOB)(
        '/api/scaffolder/v2/dry-run',
        {
          method: 'POST',
          body: JSON.stringify({
            template,
            values: {},
            directoryContents: [],
          }),
        },
      );
      // RBAC gives bob no templateDryRun permission at all; either way nothing is written.
      expect([status, body]).toEqual([403, expect.anything()]);
      expect(JSON.stringify(body)).toMatch(/NotAllowedError|Unauthorized/);
      expect(world.kubernetes.writeRequests().slice(writes)).toEqual([]);
    });

    it("reads a tenant's health only as its owner or the platform group: the requester not the platform's tenant (IS_ENTITY_OWNER, applied by the clearml plugin)", async () => {
      const started = host;
      for (const tenant of ['kappa']) {
        await eventually(
          `resource:default/${tenant} in the catalog`,
          async () => {
            const { status } = await started.as(ALICE)(
              `/api/catalog/entities/by-name/resource/default/${tenant}`,
            );
            return status === 200 ? true : undefined;
          },
          60_000,
        );
      }
      const health = (user: string, tenant: string) =>
        host
          .as(user)(
            `/api/clearml/v1/health?entityRef=${encodeURIComponent(`resource:default/${tenant}`)}`,
          )
          .then(r => [user, tenant, r.status]);
      expect(
        await Promise.all([health(ALICE, 'kappa'), health(BOB, 'kappa')]),
      ).toEqual([
        [ALICE, 'kappa', 200],
        [BOB, 'kappa', 403],
      ]);
      const fleet = async (user: string) => {
        const { status, body } = await host.as(user)('/api/clearml/v1/tenants');
        expect([user, status]).toEqual([user, 200]);
        return (body.items as any[]).map((t: any) => t.entityRef).sort();
      };
      expect(await fleet(ALICE)).toEqual(['resource:default/kappa']);
      expect(await fleet(BOB)).toEqual([]);
      expect(await fleet(MALLORY)).toEqual([]);
    });

    it('logged loading both backend packages, and no error from any of the three (the frontend has its module federation assets)', () => {
      const log = host.log();
      for (const { name } of Object.values(PLUGINS)) {
        expect([name, log.includes(name)]).toEqual([name, true]);
      }
      const errors = log
        .split('\n')
        .filter(line => /"level":"error"/.test(line))
        .filter(line => /clearml|mf-manifest/i.test(line));
      expect(errors).toEqual([]);
    });
  },
);
