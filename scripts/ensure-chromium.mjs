// Runs before the browser test: makes sure Debian's Chromium is there, installing
// it with apt when this is a Debian machine and we are root (as on CI). Never
// downloads a browser. When it cannot install, the test itself fails and says how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasApt = existsSync('/usr/bin/apt-get');
const isRoot = process.getuid?.() === 0;

if (existsSync(chromium)) {
  process.exit(0);
}
if (!hasApt || !isRoot || process.env.CHROMIUM_PATH) {
  console.warn(
    `No Chromium at ${chromium}: install Debian's chromium (sudo apt-get install chromium) or set CHROMIUM_PATH.`,
  );
  process.exit(0);
}
console.log(
  "Installing Debian's chromium for the browser test (apt-get install chromium)…",
);
try {
  // flock serialises with other apt users on the machine when it is available.
  const lock = existsSync('/usr/bin/flock') ? 'flock /tmp/apt.lock ' : '';
  execSync(
    `${lock}apt-get update -qq && ${lock}apt-get install -y -qq chromium`,
    { stdio: 'inherit' },
  );
} catch {
  console.warn(
    'apt-get could not install chromium; the browser test will say what is missing.',
  );
}
