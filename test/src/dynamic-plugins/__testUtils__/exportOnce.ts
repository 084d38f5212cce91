/**
 * `npm run export-dynamic` once per test run for the dynamic-plugins suites: the backend hosts and the frontend
 * test install the same tarballs, and the backend hosts start with the frontend in their dynamic plugins root too (as
 * a Developer Hub with all three does, where a frontend without its module federation assets logs an ERROR).
 * `npm run test:packaging` runs the suites in one process (`--runInBand`): the first suite exports and stamps
 * dynamic-plugins-dist/ with that process's id, the next one finds its stamp and reuses the export.
 * DYNAMIC_PLUGINS_REUSE_EXPORT=1 reuses an earlier run's export.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '../../../..');
export const DYNAMIC_PLUGINS_DIST = path.join(REPO, 'dynamic-plugins-dist');
const STAMP = path.join(DYNAMIC_PLUGINS_DIST, '.exported-by-test-run.json');
export const EXPORT_TIMEOUT_MS = 25 * 60_000;

/** Runs `node <args>` in the repository; resolves with its exit code and output. */
export function runNode(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', chunk => {
      output += chunk;
      stdout += chunk;
    });
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
      resolve({ code, output, stdout });
    });
  });
}

function stampedByThisRun(): boolean {
  try {
    return (
      JSON.parse(fs.readFileSync(STAMP, 'utf8')).pid === process.pid &&
      fs.existsSync(path.join(DYNAMIC_PLUGINS_DIST, 'dynamic-plugins.yaml'))
    );
  } catch {
    return false;
  }
}

/** Exports all three packages unless this test run (or, with DYNAMIC_PLUGINS_REUSE_EXPORT=1, an earlier one) did. */
export async function exportDynamicPluginsOnce(): Promise<void> {
  if (
    process.env.DYNAMIC_PLUGINS_REUSE_EXPORT === '1' &&
    fs.existsSync(path.join(DYNAMIC_PLUGINS_DIST, 'dynamic-plugins.yaml'))
  )
    return;
  if (stampedByThisRun()) return;
  const exported = await runNode(
    [path.join(REPO, 'scripts/export-dynamic-plugins.mjs')],
    EXPORT_TIMEOUT_MS,
  );
  if (exported.code !== 0)
    throw new Error(
      `the export failed (${exported.code}):\n${exported.output}`,
    );
  fs.writeFileSync(
    STAMP,
    `${JSON.stringify({ pid: process.pid, at: new Date().toISOString() })}\n`,
  );
}
