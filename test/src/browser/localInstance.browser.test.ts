/**
 * The local instance in a real browser: `npm start` (scripts/start.mjs) on a
 * fresh checkout, Debian's Chromium driven by playwright-core. Creates a
 * tenant through the form (local git repository, grants applied on the demo
 * cluster), checks the output links, the branch and the RoleBinding, and
 * opens the demo tenant blocked by SCC to see the card name the grant.
 * Run with `npm run test:browser`; screenshots go to test-results/browser/
 * (UPDATE_DOCS_IMAGES=1 also copies three of them to docs/images/).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  localBranchHead,
  localFilesAt,
} from '@clearml-openshift/plugin-clearml-node';
import { Browser, chromium, Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(ROOT, 'test-results', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APP = 'http://localhost:3000';
const BACKEND = 'http://localhost:7007';
const DEMO_CLUSTER = 'http://127.0.0.1:6443';
const GITOPS_REPO = path.join(
  ROOT,
  '.local',
  'gitops',
  'platform',
  'gitops.git',
);
const START_TIMEOUT_MS = 8 * 60_000;
// A new name each run: the local repository keeps the branches of earlier runs.
const TENANT = `t${Date.now().toString(36)}`;

let start: ChildProcess | undefined;
let startLog = '';
let browser: Browser | undefined;
let page: Page;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function shot(name: string, docsName?: string) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (docsName && process.env.UPDATE_DOCS_IMAGES)
    fs.copyFileSync(file, path.join(ROOT, 'docs', 'images', docsName));
}

/** Opens a page of the app, signing in as guest when the sign-in page comes first (after a reload it may not). */
async function open(
  pathname: string,
  ready: () => import('playwright-core').Locator,
) {
  await page.goto(`${APP}${pathname}`, { timeout: 180_000 });
  const enter = page.getByRole('button', { name: /enter/i });
  await Promise.race([
    enter.waitFor({ timeout: 180_000 }),
    ready().waitFor({ timeout: 180_000 }),
  ]);
  if (await enter.isVisible()) await enter.click();
  await ready().waitFor();
}

/** Runs a test body, with a screenshot of the page when it fails. */
async function withFailureShot(name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (error) {
    await page
      .screenshot({
        path: path.join(OUT, `failure-${name}.png`),
        fullPage: true,
      })
      .catch(() => undefined);
    throw error;
  }
}

function stopStart(): Promise<void> {
  const child = start;
  if (!child?.pid || child.exitCode !== null) return Promise.resolve();
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      resolve();
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // scripts/start.mjs stops the backend and frontend process groups it started.
    process.kill(-child.pid!, 'SIGTERM');
  });
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install chromium (apt-get install chromium), or set CHROMIUM_PATH`,
    );
  }
  for (const url of [`${BACKEND}/.backstage/health/v1/liveness`, APP]) {
    if (await answers(url))
      throw new Error(
        `${url} already answers: stop the running local instance first`,
      );
  }
  fs.mkdirSync(OUT, { recursive: true });

  const began = Date.now();
  start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    detached: true, // own process group: stopStart() reaches everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      START_TIMEOUT_SECONDS: String(START_TIMEOUT_MS / 1000),
    },
  });
  const collect = (chunk: Buffer) => {
    startLog += chunk.toString();
  };
  start.stdout!.on('data', collect);
  start.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (startLog.includes('local instance is ready')) {
        clearInterval(check);
        resolve();
      } else if (
        start!.exitCode !== null ||
        Date.now() - began > START_TIMEOUT_MS
      ) {
        clearInterval(check);
        reject(
          new Error(
            `npm start did not become ready (exit ${start!.exitCode}):\n${startLog.slice(-4000)}`,
          ),
        );
      }
    }, 500);
  });
  console.log(
    `npm start answered on :7007 and :3000 after ${((Date.now() - began) / 1000).toFixed(1)}s`,
  );

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(60_000);
}, START_TIMEOUT_MS + 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stopStart();
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'npm-start.log'), startLog);
}, 30_000);

describe('the local instance in the browser', () => {
  it(
    'creates a tenant from the form: pull request in the local repository, grants on the demo cluster, entity with its card',
    () =>
      withFailureShot('create', async () => {
        // The frontend is compiled on the first request; the sign-in page comes when it is.
        // The page lists every template (new, change, retire, upgrade): choose the card of the new tenant's.
        const choose = () =>
          page
            .getByText('New ClearML tenant', { exact: true })
            // The card: the nearest ancestor holding a Choose button (its header holds other buttons).
            .locator(
              "xpath=ancestor::*[.//button[normalize-space(.)='Choose']][1]",
            )
            .getByRole('button', { name: /choose/i });
        await open('/create', choose);
        await choose().click();

        // Tenant
        await page.getByLabel('Tenant name').fill(TENANT);
        await page.getByRole('textbox', { name: 'Owner' }).fill('platform');
        await page
          .getByRole('option', { name: /platform/i })
          .first()
          .click();
        await page
          .getByLabel('Description')
          .fill('ClearML server created by the browser test');
        await page.getByRole('button', { name: 'Next' }).click();
        // Cluster: the picker lists the clusters of the backend; the domain follows the cluster's apps domain.
        await page
          .getByRole('combobox', { name: 'Cluster' })
          .selectOption('demo');
        await expect(
          page.getByRole('textbox', { name: 'Domain' }),
        ).toHaveValueAsync(`clearml-${TENANT}.apps.demo.example.com`);
        // StorageClass: the demo cluster's default class is preselected.
        await expect(
          page.getByRole('combobox', { name: 'StorageClass' }),
        ).toHaveValueAsync('gp3-csi');
        await page.getByRole('button', { name: 'Next' }).click();
        // ClearML: the defaults (open source, Routes, anyuid profile, no agent).
        await page.getByRole('button', { name: 'Next' }).click();
        // GitOps: the local instance's bare repository, grants applied now.
        await page
          .locator('select', { has: page.locator('option[value="git.local"]') })
          .selectOption('git.local');
        await page.getByRole('textbox', { name: 'Owner' }).fill('platform');
        await page.getByRole('textbox', { name: 'Repository' }).fill('gitops');
        await page.getByLabel('Apply SCC grants now').check();
        await shot('1-form-gitops', 'local-instance-form.png');
        await page.getByRole('button', { name: 'Review' }).click();
        await expect(
          page.getByText(`git.local?owner=platform&repo=gitops`).first(),
        ).toBeVisibleAsync();
        await shot('2-form-review');
        await page.getByRole('button', { name: 'Create' }).click();

        // The task runs every step and shows the template's output links.
        const prLink = page.getByRole('link', { name: 'Pull request' });
        await prLink.waitFor({ timeout: 120_000 });
        await page
          .getByRole('link', { name: 'Tenant in the catalog' })
          .waitFor();
        await page.getByRole('link', { name: 'ClearML web UI' }).waitFor();
        await shot('3-task-done');
        // The repository and branch, never the bare repository's path on the backend's disk.
        expect(await prLink.getAttribute('href')).toBe(
          `git://git.local/platform/gitops.git#clearml/${TENANT}`,
        );
        expect(
          await page
            .getByRole('link', { name: 'ClearML web UI' })
            .getAttribute('href'),
        ).toBe(`https://clearml-${TENANT}-app.apps.demo.example.com`);

        // The "pull request": branch clearml/<tenant> in the local repository, with the tenant's files.
        const commit = (await localBranchHead(
          GITOPS_REPO,
          `clearml/${TENANT}`,
        ))!;
        const files = [...(await localFilesAt(GITOPS_REPO, commit)).keys()];
        expect(files).toEqual(
          expect.arrayContaining([
            `tenants/${TENANT}/clearml-values.yaml`,
            `tenants/${TENANT}/routes.yaml`,
            `tenants/${TENANT}/catalog-info.yaml`,
          ]),
        );

        // The grants: RoleBinding system:openshift:scc:anyuid in the new namespace on the demo cluster.
        const binding = await fetch(
          `${DEMO_CLUSTER}/apis/rbac.authorization.k8s.io/v1/namespaces/clearml-${TENANT}/rolebindings/system:openshift:scc:anyuid`,
          { headers: { authorization: 'Bearer demo-read-token' } },
        );
        expect(binding.status).toBe(200);
        const subjects = (
          (await binding.json()).subjects as Array<{ name: string }>
        )
          .map(s => s.name)
          .sort();
        expect(subjects).toEqual([
          'clearml-apiserver',
          'clearml-fileserver',
          'clearml-webserver',
        ]);

        // The entity page of the new tenant carries the health card.
        await page.getByRole('link', { name: 'Tenant in the catalog' }).click();
        // catalog:register adds the location; the catalog processes it into the entity a few seconds later.
        const cardTitle = page.getByText('ClearML tenant health');
        for (
          const deadline = Date.now() + 120_000;
          !(await cardTitle.isVisible());
        ) {
          if (Date.now() > deadline)
            throw new Error(
              `the entity page of ${TENANT} shows no health card after 120s`,
            );
          await page.waitForTimeout(2000);
          if (await page.getByText('Entity not found').isVisible())
            await page.reload();
        }
        await page.getByRole('status', { name: 'Tenant status' }).waitFor();
        await expect(
          page.getByText(`demo / clearml-${TENANT}`).first(),
        ).toBeVisibleAsync();
        await shot('4-new-tenant-entity');
      }),
    480_000,
  );

  it(
    'names the missing grant on the card of the demo tenant blocked by SCC',
    () =>
      withFailureShot('blocked', async () => {
        const card = page.locator('[class*="MuiCard-root"]', {
          hasText: 'ClearML tenant health',
        });
        await open('/catalog/default/resource/vision', () =>
          card.getByRole('status', { name: 'Tenant status' }),
        );
        await card.getByText('SCCForbidden').waitFor();
        await expect(
          card.getByText(
            /Grant anyuid to ServiceAccount clearml-webserver in clearml-vision/,
          ),
        ).toBeVisibleAsync();
        await expect(
          card.getByText(
            /oc adm policy add-scc-to-user anyuid -z clearml-webserver -n clearml-vision/,
          ),
        ).toBeVisibleAsync();
        await shot('5-blocked-tenant-entity');
        const file = path.join(OUT, 'blocked-tenant-card.png');
        await card.screenshot({ path: file });
        if (process.env.UPDATE_DOCS_IMAGES)
          fs.copyFileSync(
            file,
            path.join(ROOT, 'docs', 'images', 'local-instance-card-scc.png'),
          );
      }),
    300_000,
  );

  it(
    'lists the fleet: every tenant with its cluster, stage and status; the new one waits for review; one click to a tenant',
    () =>
      withFailureShot('fleet', async () => {
        const table = page.getByRole('table').first();
        // Tenants are shown by their entity titles.
        const link = (tenant: string) =>
          page.getByRole('link', {
            name: `ClearML tenant ${tenant}`,
            exact: true,
          });
        const vision = () => table.locator(link('vision'));
        await open('/clearml', vision);
        // `has` is queried inside each row, so the link locator starts from the page, not from the table.
        const row = (tenant: string) =>
          table.locator('tr', { has: link(tenant) });
        await expect(row('acme').getByText('Healthy')).toBeVisibleAsync();
        await expect(row('vision').getByText('Down')).toBeVisibleAsync();
        await expect(
          row('vision').getByText('demo', { exact: true }),
        ).toBeVisibleAsync();
        // The tenant the first test created: its branch is not merged, so it waits for review and is never "down".
        await expect(row(TENANT).getByText('Progressing')).toBeVisibleAsync();
        await expect(
          row(TENANT).getByText(
            new RegExp(
              `Pull request: Branch clearml/${TENANT} waiting for review`,
            ),
          ),
        ).toBeVisibleAsync();
        await shot('6-fleet', 'local-instance-fleet.png');

        // Filter by the search box, then open the tenant.
        await page.getByPlaceholder('Filter').fill('clearml-vision');
        for (
          const deadline = Date.now() + 30_000;
          await row('acme').isVisible();
        ) {
          if (Date.now() > deadline)
            throw new Error('the search did not filter acme out');
          await page.waitForTimeout(250);
        }
        await vision().click();
        await page.waitForURL(/\/catalog\/default\/resource\/vision/);
        await page.getByText('ClearML tenant health').waitFor();
      }),
    300_000,
  );
});

// Small async matchers over playwright locators (no @playwright/test runner here).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeVisibleAsync(): Promise<R>;
      toHaveValueAsync(value: string): Promise<R>;
    }
  }
}
expect.extend({
  async toBeVisibleAsync(locator: import('playwright-core').Locator) {
    try {
      await locator.waitFor({ state: 'visible', timeout: 30_000 });
      return { pass: true, message: () => `${locator} is visible` };
    } catch {
      return {
        pass: false,
        message: () => `${locator} did not become visible within 30s`,
      };
    }
  },
  async toHaveValueAsync(
    locator: import('playwright-core').Locator,
    value: string,
  ) {
    const deadline = Date.now() + 30_000;
    let actual = '';
    while (Date.now() < deadline) {
      actual = await locator.inputValue();
      if (actual === value)
        return { pass: true, message: () => `${locator} has value ${value}` };
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    return {
      pass: false,
      message: () =>
        `${locator} has value ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`,
    };
  },
});
