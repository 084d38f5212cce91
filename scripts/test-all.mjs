#!/usr/bin/env node
// `npm run test:all`: every test target once, in order, each run even when an earlier one failed, so that one
// failing suite does not hide the results of the others. Exits non-zero when any target failed.
import { spawnSync } from 'node:child_process';

const targets = ['test', 'test:packaging', 'test:browser'];
const failed = [];
for (const target of targets) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { status, signal } = spawnSync(npm, ['run', target], {
    stdio: 'inherit',
  });
  if (status !== 0) failed.push(`${target} (${signal ?? `exit ${status}`})`);
}
if (failed.length) {
  console.error(`test:all: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`test:all: ${targets.join(', ')} passed`);
