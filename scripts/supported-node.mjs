#!/usr/bin/env node
/**
 * Runs a command on a Node this repository supports (package.json "engines": 22 || 24).
 *
 * Why: the SQLite driver of the local instance and the test backends, better-sqlite3 13, is a Node-API 10 addon
 * that does not load on Node 20, and a fresh machine may have nothing newer. On an older Node this installs
 * `node@22` from the npm registry once, into ~/.cache/clearml-openshift/node22 (CLEARML_NODE_CACHE overrides the
 * folder), and runs the command with that Node first on PATH, so every `node` the command starts is Node 22.
 * On Node 22 or newer it runs the command as it is.
 *
 * Usage: node scripts/supported-node.mjs <command> [args...]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SUPPORTED_MAJOR = 22;
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/supported-node.mjs <command> [args...]');
  process.exit(2);
}

const major = Number(process.versions.node.split('.')[0]);
const env = { ...process.env };
if (major < SUPPORTED_MAJOR) {
  const cache =
    process.env.CLEARML_NODE_CACHE ??
    path.join(
      os.homedir(),
      '.cache',
      'clearml-openshift',
      `node${SUPPORTED_MAJOR}`,
    );
  const bin = path.join(cache, 'node_modules', '.bin');
  if (!existsSync(path.join(bin, 'node'))) {
    console.error(
      `[node] Node ${process.version} is older than this repository supports (22 or 24); installing node@${SUPPORTED_MAJOR} from the npm registry into ${cache}`,
    );
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      path.join(cache, 'package.json'),
      `${JSON.stringify({ name: `node${SUPPORTED_MAJOR}`, private: true })}\n`,
    );
    const install = spawnSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        `node@${SUPPORTED_MAJOR}`,
      ],
      { cwd: cache, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const check = spawnSync(path.join(bin, 'node'), ['--version'], {
      encoding: 'utf8',
    });
    if (install.status !== 0 || check.status !== 0) {
      console.error(
        `[node] could not install node@${SUPPORTED_MAJOR} into ${cache}`,
      );
      process.exit(1);
    }
  }
  env.PATH = `${bin}${path.delimiter}${env.PATH ?? ''}`;
  // Native addons built under this Node (node-gyp) need its headers, which the package keeps beside the binary; the
  // npm_config_nodedir that npm exports names the older Node's, so it is replaced.
  const headers = path.join(
    cache,
    'node_modules',
    'node',
    'node_modules',
    `node-${process.platform}-${process.arch}`,
  );
  if (existsSync(path.join(headers, 'include', 'node')))
    env.npm_config_nodedir = headers;
}

const child = spawn(command, args, { stdio: 'inherit', env });
// The command handles Ctrl-C itself (it is in the same process group and gets the same SIGINT); this process only
// waits for it, and passes on a SIGTERM sent to it alone.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', error => {
  console.error(`[node] ${command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
