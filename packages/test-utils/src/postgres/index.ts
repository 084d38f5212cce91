/**
 * A real PostgreSQL for the suites that need what production Backstage runs
 * on (several backend replicas sharing one database): Debian's `postgresql`
 * package, installed with apt-get when missing (the CI runs as root), and a
 * throw-away server on a loopback port with its data in a temporary
 * directory, run as the `postgres` user. `stop()` stops only that server and
 * removes only that directory.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  /** Connection settings for `backend.database.connection`. */
  connection: { host: string; port: number; user: string; password: string };
  stop(): Promise<void>;
}

const POSTGRESQL_LIB = '/usr/lib/postgresql';

function binDir(): string | undefined {
  if (!fs.existsSync(POSTGRESQL_LIB)) return undefined;
  const versions = fs
    .readdirSync(POSTGRESQL_LIB)
    .filter(v => fs.existsSync(path.join(POSTGRESQL_LIB, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length
    ? path.join(POSTGRESQL_LIB, versions[0], 'bin')
    : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** Debian's server binaries; installed once with apt-get when missing (idempotent: apt-get skips what is there). */
export function ensurePostgresInstalled(): string {
  const existing = binDir();
  if (existing) return existing;
  if (!isRoot()) {
    throw new Error(
      'PostgreSQL is not installed and this is not root: apt-get install postgresql',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
  execFileSync(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', 'postgresql'],
    { stdio: 'ignore', env },
  );
  const installed = binDir();
  if (!installed)
    throw new Error('apt-get install postgresql left no server binaries');
  return installed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The postgres user's ids when root (PostgreSQL refuses to run as root); else run as this user. */
function postgresUser(): { uid?: number; gid?: number } {
  if (!isRoot()) return {};
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
  };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = ensurePostgresInstalled();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-pg-'));
  const user = postgresUser();
  if (user.uid !== undefined) fs.chownSync(dataDir, user.uid, user.gid!);
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'],
    { stdio: 'ignore', cwd: dataDir, ...user },
  );
  const port = await freePort();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dataDir,
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ];
  const server: ChildProcess = spawn(path.join(bin, 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: dataDir,
    ...user,
  });
  let log = '';
  server.stderr?.on('data', chunk => {
    log += chunk;
  });
  const exited = new Promise<void>(resolve =>
    server.once('exit', () => resolve()),
  );
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    connection: { host: '127.0.0.1', port, user: 'postgres', password: '' },
    async stop() {
      if (server.exitCode === null) {
        // PostgreSQL's fast shutdown.
        server.kill('SIGINT');
        const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
