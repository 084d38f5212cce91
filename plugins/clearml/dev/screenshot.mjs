/**
 * Screenshots of the dev app's cards for the docs. Start the dev app first
 * (`npm start` in plugins/clearml), then: `node dev/screenshot.mjs [page] [out.png]`.
 * Uses the system's Chromium (Debian package), never a downloaded browser.
 */
/* eslint-disable no-console -- a command-line script: it reports the saved file on the console. */
import { chromium } from 'playwright-core';

const [page = 'broken', out = '../../docs/images/health-card.png'] =
  process.argv.slice(2);
const base = process.env.DEV_APP_URL ?? 'http://localhost:3000';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const tab = await browser.newPage({
    viewport: { width: 1280, height: 2400 },
    deviceScaleFactor: 1,
  });
  const errors = [];
  tab.on('pageerror', e => errors.push(e.message));
  await tab.goto(`${base}/${page}`, { waitUntil: 'networkidle' });
  // The dev app starts at its sign-in page. Without an auth backend the guest
  // sign-in asks (confirm dialog) to fall back to the local guest token: accept.
  tab.on('dialog', dialog => dialog.accept());
  await tab.locator('button', { hasText: /enter/i }).click();
  await tab
    .getByRole('status', { name: 'Tenant status' })
    .waitFor({ timeout: 30_000 });
  // Dev builds suffix MUI class names (MuiCard-root-570), hence the prefix match.
  const card = tab.locator('[class*="MuiCard-root"]', {
    hasText: 'ClearML tenant health',
  });
  await card.screenshot({ path: out });
  console.log(
    `saved ${out}`,
    errors.length ? `page errors: ${errors.join('; ')}` : '',
  );
} finally {
  await browser.close();
}
