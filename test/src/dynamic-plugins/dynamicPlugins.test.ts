/**
 * The two backend packages as Red Hat Developer Hub loads them: exported with Red Hat's exporter
 * (`scripts/export-dynamic-plugins.mjs`, run here so a fresh clone's `npm test` needs nothing else), copied into
 * `dynamic-plugins-root/`, and loaded by Backstage's dynamic feature loader in a backend of its own (a separate Node
 * process, `__testUtils__/dynamicBackend.js`) that has only the scaffolder installed statically. The backend reads the Kubernetes
 * API double as its cluster. Slow by nature: the export builds both packages and installs their private
 * dependencies (about 2.5 minutes; the first run on a machine also installs the exporter, a few minutes more).
 */
import { ChildProcess, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import yaml from 'js-yaml';
import net from 'net';
import os from 'os';
import path from 'path';
import {
  KUBERNETES_READ_ONLY_RULES,
  KubernetesApiDouble,
} from '../kubernetes-api-double';

const REPO = path.resolve(__dirname, '../../..');
const ROOT = path.join(REPO, 'dynamic-plugins-root');
const EXPORT_TIMEOUT_MS = 20 * 60_000;
const READ_TOKEN = 'sha256~dynamic-read-7e21';
const CLUSTER = 'ocp-dynamic';
const APPS_DOMAIN = 'apps.ocp-dynamic.example.com';
const KUBERNETES_VERSION = '1.32.5';

const PLUGINS = {
  module: {
    folder:
      'clearml-openshift-plugin-scaffolder-backend-module-clearml-dynamic',
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
    folder: 'clearml-openshift-plugin-clearml-backend-dynamic',
    name: '@clearml-openshift/plugin-clearml-backend-dynamic',
    role: 'backend-plugin',
    privateDependencies: ['@kubernetes/client-node', 'express-promise-router'],
  },
};

let kubernetes: KubernetesApiDouble;
let workDir: string;
let backend: ChildProcess | undefined;
let backendLog = '';
let baseUrl: string;
const token = crypto.randomBytes(24).toString('hex');

function runNode(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `node ${args.join(' ')} did not finish within ${timeoutMs / 1000} s:\n${output}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

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

async function api(
  urlPath: string,
  options: { signedIn: boolean } = { signedIn: true },
) {
  const headers: Record<string, string> = options.signedIn
    ? { authorization: `Bearer ${token}` }
    : {};
  const response = await fetch(`${baseUrl}${urlPath}`, { headers });
  return {
    status: response.status,
    body: await response.json().catch(() => undefined),
  };
}

async function waitUntilReady(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend?.exitCode !== null)
      throw new Error(
        `the backend exited (${backend?.exitCode}):\n${backendLog}`,
      );
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `the backend was not ready within ${timeoutMs / 1000} s:\n${backendLog}`,
  );
}

function manifest(folder: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(ROOT, folder, 'package.json'), 'utf8'),
  );
}

beforeAll(async () => {
  // DYNAMIC_PLUGINS_REUSE_EXPORT=1 reuses dynamic-plugins-root/ as `npm run export-dynamic` left it (while working on the test).
  if (process.env.DYNAMIC_PLUGINS_REUSE_EXPORT !== '1') {
    const exported = await runNode(
      [path.join(REPO, 'scripts/export-dynamic-plugins.mjs'), '--backend'],
      EXPORT_TIMEOUT_MS,
    );
    if (exported.code !== 0)
      throw new Error(
        `the export failed (${exported.code}):\n${exported.output}`,
      );
  }

  kubernetes = await KubernetesApiDouble.start({
    tokens: [
      { name: 'reader', token: READ_TOKEN, rules: KUBERNETES_READ_ONLY_RULES },
    ],
    kubernetesVersion: KUBERNETES_VERSION,
  });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-dynamic-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const config = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      workingDirectory: workDir,
      // A caller the test can be: a static token, as a platform team gives a script.
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token, subject: 'dynamic-plugins-test' },
          },
        ],
      },
    },
    dynamicPlugins: { rootDirectory: 'dynamic-plugins-root' },
    clearml: {
      clusters: [
        {
          name: CLUSTER,
          url: kubernetes.url,
          serviceAccountToken: READ_TOKEN,
          appsDomain: APPS_DOMAIN,
          skipTLSVerify: true,
        },
      ],
      health: { probeEndpoints: false },
    },
  };
  const configFile = path.join(workDir, 'app-config.yaml');
  fs.writeFileSync(configFile, yaml.dump(config));

  backend = spawn(
    process.execPath,
    [
      path.join(__dirname, '__testUtils__', 'dynamicBackend.js'),
      '--config',
      configFile,
    ],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' },
    },
  );
  backend.stdout!.on('data', chunk => (backendLog += chunk));
  backend.stderr!.on('data', chunk => (backendLog += chunk));
  await waitUntilReady(120_000);
}, EXPORT_TIMEOUT_MS + 150_000);

afterAll(async () => {
  if (backend && backend.exitCode === null) {
    const exited = new Promise(resolve => backend!.once('exit', resolve));
    backend.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise(r => (timer = setTimeout(r, 10_000))),
    ]);
    clearTimeout(timer);
    if (backend.exitCode === null) backend.kill('SIGKILL');
  }
  await kubernetes?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the exported packages', () => {
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

describe('a backend that loads them dynamically', () => {
  it('lists the clearml:* actions of the dynamically loaded scaffolder module, with their input schemas', async () => {
    const { status, body } = await api('/api/scaffolder/v2/actions');
    expect(status).toBe(200);
    const actions = (
      body as Array<{ id: string; schema?: { input?: any } }>
    ).filter(a => a.id.startsWith('clearml:'));
    expect(actions.map(a => a.id)).toEqual(
      expect.arrayContaining([
        'clearml:values:render',
        'clearml:routes:render',
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

  it('answers GET /api/clearml/v1/clusters from the dynamically loaded clearml backend, with the cluster it read', async () => {
    const { status, body } = await api('/api/clearml/v1/clusters');
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({
        name: CLUSTER,
        appsDomain: APPS_DOMAIN,
        canGrant: false,
        kubernetesVersion: expect.stringContaining(KUBERNETES_VERSION),
      }),
    ]);
    // Not a route anyone may call: the plugin's auth policy came along.
    expect(
      (await api('/api/clearml/v1/clusters', { signedIn: false })).status,
    ).toBe(401);
  });

  it('logged that it loaded both packages from the dynamic plugins root', () => {
    for (const { name } of Object.values(PLUGINS)) {
      expect([name, backendLog.includes(name)]).toEqual([name, true]);
    }
  });
});
