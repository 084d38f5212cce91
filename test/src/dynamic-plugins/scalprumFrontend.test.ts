/**
 * The exported frontend as Red Hat Developer Hub 1.9 loads it: the Scalprum bundle from the tarball
 * `npm run export-dynamic` packs (its integrity checked as Developer Hub's install step does), served under
 * `/api/scalprum/<scope>/` as Developer Hub's scalprum backend serves it, loaded in a browser by a Developer Hub app
 * shell (`__testUtils__/scalprumHost.jsx`: Scalprum's provider and loader, the app's webpack share scope) bundled
 * against Developer Hub 1.9's shared modules (`scripts/dynamic-plugins/appHosts.mjs`: react 18.3.1,
 * core-plugin-api 1.12.0, MUI, …), wired by the `dynamicPlugins.frontend` entries of
 * scripts/dynamic-plugins/plugin-config.yaml. Debian's Chromium, driven by playwright-core; the health backend is the
 * plugin's loopback double. Screenshots go to test-results/dynamic-plugins/.
 *
 * Slow: the export (once for this suite and dynamicPlugins.test.ts, __testUtils__/exportOnce.ts) builds both frontend
 * bundles (4–6 min; DYNAMIC_PLUGINS_REUSE_EXPORT=1 reuses dynamic-plugins-dist/), the first run installs the app
 * host (about 3 min, cached in ~/.cache/clearml-openshift).
 */
import crypto from 'crypto';
import fs from 'fs';
import http from 'http';
import yaml from 'js-yaml';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { execFileSync } from 'child_process';
import { Browser, chromium, Page } from 'playwright-core';
// The frontend plugin's own fixtures and loopback health double (what its suites use); no package exports them.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  acmeTenant,
  entityWithoutAnnotations,
  fleetRow,
  healthyReport,
  tenantEntity,
} from '../../../plugins/clearml/dev/fixtures';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../../../plugins/clearml/src/__testUtils__/healthApiDouble';
import {
  DYNAMIC_PLUGINS_DIST as DIST,
  EXPORT_TIMEOUT_MS,
  exportDynamicPluginsOnce,
  runNode,
} from './__testUtils__/exportOnce';

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '../../..');
const OUT = path.join(REPO, 'test-results', 'dynamic-plugins');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCOPE = 'clearml-openshift.plugin-clearml';
const FRONTEND_PACKAGE = '@clearml-openshift/plugin-clearml-dynamic';
const APP_HOST = 'rhdh-1.9';
const HOST_TIMEOUT_MS = 20 * 60_000;
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-scalprum-'));
const USER = {
  name: 'Alice',
  entityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/ml-platform'],
  token: `alice-${crypto.randomBytes(8).toString('hex')}`,
};

const acme = tenantEntity(acmeTenant);
const ACME_REF = `resource:default/${acme.metadata.name}`;
const other = entityWithoutAnnotations;

/** The frontend's entry of dynamic-plugins.yaml, installed as Developer Hub's install step installs a tarball. */
function installFrontendTarball(): { dir: string; entry: any } {
  const { plugins } = yaml.load(
    fs.readFileSync(path.join(DIST, 'dynamic-plugins.yaml'), 'utf8'),
  ) as { plugins: any[] };
  const entry = plugins.find(p =>
    path
      .basename(p.package)
      .startsWith('clearml-openshift-plugin-clearml-dynamic-'),
  );
  if (!entry) throw new Error('no frontend tarball in dynamic-plugins.yaml');
  const tarball = fs.readFileSync(entry.package);
  const integrity = `sha512-${crypto.createHash('sha512').update(tarball).digest('base64')}`;
  expect(integrity).toBe(entry.integrity);
  const dir = path.join(ROOT, path.basename(entry.package, '.tgz'));
  fs.mkdirSync(dir);
  execFileSync('tar', [
    'xzf',
    entry.package,
    '-C',
    dir,
    '--strip-components=1',
  ]);
  return { dir, entry };
}

let installed: { dir: string; entry: any };
let sharedVersions: Record<string, string>;
let health: HealthApiDouble;
let server: http.Server;
let baseUrl: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Serves the app shell, the plugin's assets as Developer Hub's scalprum backend does, and the health backend. */
function startServer(hostScript: string, hostConfig: object): Promise<void> {
  const assets = path.join(installed.dir, 'dist-scalprum');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Developer Hub</title></head><body>
<div id="root"></div>
<script>window.__HOST_CONFIG__ = ${JSON.stringify(hostConfig).replace(/</g, '\\u003c')};</script>
<script src="/host.js"></script></body></html>`;
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scalprumPrefix = `/api/scalprum/${SCOPE}/`;
    if (url.pathname.startsWith('/api/clearml/')) {
      // The health backend (the plugin's double), on the app's origin as Developer Hub's backend is.
      const target = new URL(`${url.pathname}${url.search}`, health.baseUrl);
      const upstream = http.request(
        target,
        { method: req.method, headers: req.headers },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
      return;
    }
    if (url.pathname.startsWith(scalprumPrefix)) {
      const file = path.resolve(
        assets,
        url.pathname.slice(scalprumPrefix.length),
      );
      if (!file.startsWith(`${assets}${path.sep}`) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': file.endsWith('.json')
          ? 'application/json'
          : 'application/javascript',
      });
      fs.createReadStream(file).pipe(res);
      return;
    }
    if (url.pathname === '/host.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      fs.createReadStream(hostScript).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

const consoleMessages: string[] = [];

/** Runs a test body; when it fails, says what the page showed, its host report and its console. */
async function diagnosed(name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (error) {
    await shot(`failure-${name}`).catch(() => undefined);
    const text = await page
      .evaluate(() => document.body.innerText)
      .catch(() => '');
    const report = await hostReport().catch(() => undefined);
    throw new Error(
      `${(error as Error).message}` +
        `\n--- page text:\n${text.slice(0, 2000)}\n--- host report: ${JSON.stringify(report)}\n--- console:\n${consoleMessages.slice(-30).join('\n')}\n--- page errors:\n${pageErrors.join('\n')}`,
    );
  }
}

async function hostReport(): Promise<any> {
  return page.evaluate(() => (window as any).__hostReport);
}

async function shot(name: string) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({
    path: path.join(OUT, `${name}.png`),
    fullPage: true,
  });
}

beforeAll(
  async () => {
    await exportDynamicPluginsOnce();
    installed = installFrontendTarball();

    const hostScript = path.join(ROOT, 'host.js');
    const bundled = await runNode(
      [
        path.join(REPO, 'scripts/dynamic-plugins/appHosts.mjs'),
        'bundle',
        APP_HOST,
        path.join(__dirname, '__testUtils__', 'scalprumHost.jsx'),
        hostScript,
      ],
      HOST_TIMEOUT_MS,
    );
    if (bundled.code !== 0)
      throw new Error(`bundling the app host failed:\n${bundled.output}`);
    sharedVersions = JSON.parse(
      bundled.stdout.trim().split('\n').pop()!,
    ).sharedVersions;

    health = await startHealthApiDouble();
    const report = healthyReport();
    health.answer(ACME_REF, report);
    health.answerTenants([fleetRow(report)]);

    const pluginConfig = yaml.load(
      fs.readFileSync(
        path.join(REPO, 'scripts/dynamic-plugins/plugin-config.yaml'),
        'utf8',
      ),
    ) as Record<string, any>;
    await startServer(hostScript, {
      scope: SCOPE,
      scalprum: {
        [SCOPE]: {
          name: SCOPE,
          manifestLocation: `/api/scalprum/${SCOPE}/plugin-manifest.json`,
        },
      },
      frontend:
        pluginConfig['@clearml-openshift/plugin-clearml'].dynamicPlugins
          .frontend,
      entities: [acme, other],
      user: USER,
    });

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
    page.on('pageerror', error =>
      pageErrors.push(String(error.stack ?? error)),
    );
  },
  EXPORT_TIMEOUT_MS + HOST_TIMEOUT_MS + 120_000,
);

afterAll(async () => {
  await browser?.close();
  await new Promise(resolve =>
    server ? server.close(resolve) : resolve(undefined),
  );
  await health?.close();
  fs.rmSync(ROOT, { recursive: true, force: true });
});

describe(`the exported frontend in a Developer Hub 1.9 app (${APP_HOST})`, () => {
  it('is packed with the Scalprum bundle and the module federation assets new-frontend-system hosts load', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(installed.dir, 'package.json'), 'utf8'),
    );
    expect([pkg.name, pkg.backstage?.role]).toEqual([
      FRONTEND_PACKAGE,
      'frontend-plugin',
    ]);
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(installed.dir, 'dist-scalprum', 'plugin-manifest.json'),
        'utf8',
      ),
    );
    expect(manifest.name).toBe(SCOPE);
    expect(
      fs.existsSync(path.join(installed.dir, 'dist', 'mf-manifest.json')),
    ).toBe(true);
    // The app host is the release's: the shared modules the bundle meets are Developer Hub 1.9's.
    expect(sharedVersions).toEqual(
      expect.objectContaining({
        react: '18.3.1',
        'react-router-dom': '6.30.3',
        '@backstage/core-plugin-api': '1.12.0',
        '@backstage/core-app-api': '1.19.2',
        '@mui/material': '5.18.0',
      }),
    );
  });

  it("renders the health card on a tenant's overview, in its layout, reading the backend as the signed-in user", () =>
    diagnosed('entity-card', async () => {
      const before = health.requests.length;
      await page.goto(`${baseUrl}/catalog/default/resource/acme`);
      const card = page.getByTestId('mount-EntityClearmlHealthCard');
      await card.getByText('ClearML tenant health').waitFor();
      await card.getByRole('status', { name: 'Tenant status' }).waitFor();
      await shot('rhdh-1.9-entity-card');
      const report = await hostReport();
      expect([report.errors, pageErrors]).toEqual([[], []]);
      expect(report.conditions).toEqual({
        'isClearmlTenantAvailable(acme)': true,
      });
      // The bundle took these from the app (singletons), not from its own copies.
      expect(report.consumed).toEqual(
        expect.arrayContaining(['react', '@backstage/core-plugin-api']),
      );
      // The card's `layout` from plugin-config.yaml (lg: span 6 at this width).
      expect(await card.evaluate(e => getComputedStyle(e).gridColumnEnd)).toBe(
        'span 6',
      );
      expect(health.requests.slice(before)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            path: '/api/clearml/v1/health',
            entityRef: ACME_REF,
            authorization: `Bearer ${USER.token}`,
          }),
        ]),
      );
    }));

  it('mounts no card on an entity that is not a ClearML tenant, and asks the backend nothing for it', () =>
    diagnosed('no-card', async () => {
      const before = health.requests.length;
      await page.goto(
        `${baseUrl}/catalog/default/resource/${other.metadata.name}`,
      );
      await page.getByTestId('overview-cards').waitFor({ state: 'attached' });
      const report = await hostReport();
      expect(report.conditions).toEqual({
        [`isClearmlTenantAvailable(${other.metadata.name})`]: false,
      });
      expect(
        await page.getByTestId('mount-EntityClearmlHealthCard').count(),
      ).toBe(0);
      expect(health.requests.slice(before)).toEqual([]);
    }));

  it('opens the fleet page from its menu item at its dynamic route and lists the tenants', () =>
    diagnosed('fleet-page', async () => {
      await page.goto(`${baseUrl}/catalog/default/resource/acme`);
      await page
        .getByTestId('sidebar')
        .getByRole('link', { name: 'ClearML tenants' })
        .click();
      await page.waitForURL(`${baseUrl}/clearml`);
      await page.getByRole('cell', { name: /acme/ }).first().waitFor();
      await shot('rhdh-1.9-fleet-page');
      const report = await hostReport();
      expect([report.routes, report.menuItems.map((m: any) => m.icon)]).toEqual(
        [['/clearml'], ['kind:resource']],
      );
      expect([report.errors, pageErrors]).toEqual([[], []]);
    }));
});
