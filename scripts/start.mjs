#!/usr/bin/env node
/**
 * `npm start`: the local instance. Starts the backend (packages/backend, :7007, with the embedded demo
 * cluster and local git repository) and the app (packages/app, :3000), waits until both answer, and prints
 * the URL to open. Ctrl-C stops both. Options:
 *   --config <file>     extra app-config file(s) for both (as backstage-cli's --config)
 *   --new-frontend      the app on Backstage's new frontend system (packages/app-next) instead of the legacy
 *                       one (packages/app); same backend, same pages
 * Environment: START_TIMEOUT_SECONDS (default 600) bounds the wait for the two ports.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The local instance's database is better-sqlite3; 13.x is a Node-API 10 addon that crashes on load on an older Node.
const sqliteMajor = Number(
  JSON.parse(
    readFileSync(
      createRequire(import.meta.url).resolve('better-sqlite3/package.json'),
      'utf8',
    ),
  ).version.split('.')[0],
);
if (sqliteMajor >= 13 && Number(process.versions.napi) < 10) {
  console.error(
    `[start] Node ${process.version} is too old: this repository needs Node 22 or 24 (package.json "engines"); \`npm start\` brings Node 22 itself (scripts/supported-node.mjs)`,
  );
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'node_modules', '.bin', 'backstage-cli');
const configArgs = [];
let newFrontend = false;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--new-frontend') newFrontend = true;
  if (process.argv[i] === '--config' && process.argv[i + 1]) {
    configArgs.push('--config', path.resolve(process.argv[++i]));
  }
}
// backstage-cli reads app-config.yaml (and app-config.local.yaml) itself; with --config it reads only what is named.
if (configArgs.length)
  configArgs.unshift('--config', path.join(root, 'app-config.yaml'));

const BACKEND = {
  name: 'backend',
  dir: 'packages/backend',
  url: 'http://localhost:7007/.backstage/health/v1/readiness',
};
const FRONTEND = {
  name: 'frontend',
  dir: newFrontend ? 'packages/app-next' : 'packages/app',
  url: 'http://localhost:3000/',
};
const timeoutSeconds = Number(process.env.START_TIMEOUT_SECONDS ?? 600);
const started = Date.now();
const children = [];
let stopping = false;

function prefixLines(name, stream, out) {
  let rest = '';
  stream.on('data', chunk => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

function start(part) {
  // Own process group, so stopping kills backstage-cli and the node process it runs.
  const child = spawn(cli, ['package', 'start', ...configArgs], {
    cwd: path.join(root, part.dir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Development mode always: the guest sign-in only works there (a NODE_ENV=test from jest would turn it off).
    env: {
      ...process.env,
      NODE_ENV: 'development',
      BROWSER: 'none',
      FORCE_COLOR: process.env.FORCE_COLOR ?? '1',
    },
  });
  prefixLines(part.name, child.stdout, process.stdout);
  prefixLines(part.name, child.stderr, process.stderr);
  child.on('exit', code => {
    if (!stopping) {
      console.error(`[start] the ${part.name} exited (${code}); stopping`);
      stop(1);
    }
  });
  children.push(child);
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  // Give the backend time to run its shutdown hooks, then make sure nothing is left.
  setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(code);
  }, 3000).unref();
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitFor(part) {
  while (!(await answers(part.url))) {
    if (stopping) return false;
    if (Date.now() - started > timeoutSeconds * 1000) {
      console.error(
        `[start] the ${part.name} did not answer on ${part.url} within ${timeoutSeconds}s; stopping`,
      );
      stop(1);
      return false;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  console.log(
    `[start] ${part.name} answers on ${new URL(part.url).origin} after ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return true;
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('SIGHUP', () => stop(0));
// However this script ends (an error included), the backend and the app, in groups of their own, end with it.
process.on('exit', () => {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

start(BACKEND);
start(FRONTEND);
const ready = await Promise.all([waitFor(BACKEND), waitFor(FRONTEND)]);
if (ready.every(Boolean)) {
  console.log(
    [
      '',
      '  ClearML tenants on OpenShift — local instance is ready',
      '',
      '  Open http://localhost:3000 and enter as guest.',
      '    New tenant:           http://localhost:3000/create',
      '    Tenant blocked by SCC: http://localhost:3000/catalog/default/resource/vision',
      '    Healthy tenant:       http://localhost:3000/catalog/default/resource/acme',
      '  Demo cluster: http://127.0.0.1:6443   GitOps repository: .local/gitops/platform/gitops.git',
      '  Stop with Ctrl-C.  (docs/local-instance.md)',
      '',
    ].join('\n'),
  );
}
