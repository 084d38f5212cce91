import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { releaseDatabasesOnStop } from '@internal/clearml-test-utils';
import { parseYamlStream } from '@clearml-openshift/plugin-clearml-node';
import { Server } from 'http';
import { AddressInfo } from 'net';
import fs from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import * as moduleExports from './index';
import scaffolderModuleClearml from './index';

/** A template that renders a tenant with both actions, as a user would write it. */
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'clearml-tenant', title: 'ClearML tenant' },
  spec: {
    owner: 'group:default/platform',
    type: 'service',
    parameters: [
      {
        title: 'Tenant',
        required: ['tenant', 'domain'],
        properties: {
          tenant: { type: 'string' },
          domain: { type: 'string' },
          edition: { type: 'string', enum: ['oss', 'enterprise'] },
        },
      },
    ],
    steps: [
      {
        id: 'values',
        name: 'Render values',
        action: 'clearml:values:render',
        input: {
          tenant: '${{ parameters.tenant }}',
          domain: '${{ parameters.domain }}',
          edition: '${{ parameters.edition }}',
          targetPath: 'tenants/${{ parameters.tenant }}',
        },
      },
      {
        id: 'routes',
        name: 'Render Routes',
        action: 'clearml:routes:render',
        input: {
          tenant: '${{ parameters.tenant }}',
          domain: '${{ parameters.domain }}',
          edition: '${{ parameters.edition }}',
          targetPath: 'tenants/${{ parameters.tenant }}',
        },
      },
    ],
    output: {
      hosts: '${{ steps.routes.output.hosts }}',
      routeFiles: '${{ steps.routes.output.files }}',
      valueFiles: '${{ steps.values.output.files }}',
      namespace: '${{ steps.values.output.namespace }}',
    },
  },
};

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('scaffolder module clearml', () => {
  let backend: { server: Server; stop(): Promise<void> };
  let baseUrl: string;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleClearml,
        ...releaseDatabasesOnStop('scaffolder'),
        mockServices.rootConfig.factory({
          data: { backend: { workingDirectory: os.tmpdir() } },
        }),
        // The dry run reads the calling user's entity from the catalog.
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'mock' },
              spec: {},
            },
          ],
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/scaffolder`;
  });

  afterAll(async () => {
    await backend.stop();
  });

  it('lists both render actions, with their schemas and examples', async () => {
    const response = await fetch(`${baseUrl}/v2/actions`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    expect(response.status).toBe(200);
    const actions = (await response.json()) as Array<{
      id: string;
      schema: any;
      examples?: unknown[];
    }>;
    const byId = new Map(actions.map(a => [a.id, a]));
    for (const id of ['clearml:values:render', 'clearml:routes:render']) {
      expect(byId.get(id)?.schema.input.required).toEqual(['tenant', 'domain']);
      expect(byId.get(id)?.examples?.length).toBeGreaterThan(0);
    }
    expect(
      Object.keys(byId.get('clearml:routes:render')!.schema.output.properties),
    ).toEqual(['files', 'hosts']);
    expect(
      byId.get('clearml:argocd:render')?.schema.input.required.sort(),
    ).toEqual(['cluster', 'domain', 'tenant']);
    expect(byId.get('clearml:argocd:render')?.examples?.length).toBeGreaterThan(
      0,
    );
  });

  it('renders a tenant in a dry run of a template that uses both actions', async () => {
    const response = await fetch(`${baseUrl}/v2/dry-run`, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.user.header(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        template,
        values: {
          tenant: 'acme',
          domain: 'acme.apps.example.com',
          edition: 'enterprise',
        },
        directoryContents: [],
      }),
    });
    const body = await response.json();
    expect(response.status).toBe(200);

    const files = new Map<string, string>(
      body.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );
    expect([...files.keys()].sort()).toEqual([
      'tenants/acme/clearml-values.yaml',
      'tenants/acme/routes.yaml',
    ]);

    const routes = parseYamlStream(
      files.get('tenants/acme/routes.yaml')!,
    ) as any[];
    expect(routes.map(r => [r.metadata.name, r.spec.host])).toEqual([
      ['clearml-clearml-enterprise-apiserver', 'acme-api.apps.example.com'],
      ['clearml-clearml-enterprise-fileserver', 'acme-files.apps.example.com'],
      ['clearml-clearml-enterprise-webserver', 'acme-app.apps.example.com'],
    ]);
    // The enterprise webserver is told its public URLs (docs/openshift-and-clearml.md#server-url-keys): the values and the Routes agree.
    const values = yaml.load(
      files.get('tenants/acme/clearml-values.yaml')!,
    ) as any;
    expect(values.webserver.displayedServerURLs).toMatchObject({
      apiserver: 'https://acme-api.apps.example.com',
      fileserver: 'https://acme-files.apps.example.com',
    });

    expect(body.output).toEqual({
      hosts: {
        api: 'acme-api.apps.example.com',
        files: 'acme-files.apps.example.com',
        web: 'acme-app.apps.example.com',
      },
      routeFiles: ['tenants/acme/routes.yaml'],
      valueFiles: ['tenants/acme/clearml-values.yaml'],
      namespace: 'clearml-acme',
    });
    expect(body.steps.map((s: { id: string }) => s.id)).toEqual([
      'values',
      'routes',
    ]);
  });

  it('reports a bad tenant from the dry run, naming the field, and renders nothing', async () => {
    const response = await fetch(`${baseUrl}/v2/dry-run`, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.user.header(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        template,
        values: { tenant: 'acme', domain: '*.apps.example.com' },
        directoryContents: [],
      }),
    });
    // The first step's InputError ends the dry run; the scaffolder answers 400 with the error body.
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.name).toBe('InputError');
    expect(body.error.message).toMatch(/domain: must not contain '\*'/);
    expect(body.directoryContents).toBeUndefined();
  });

  it('registers exactly the actions it exports (factory and id) and documents each in its README', async () => {
    const response = await fetch(`${baseUrl}/v2/actions`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    const registered = ((await response.json()) as Array<{ id: string }>)
      .map(a => a.id)
      .filter(id => id.startsWith('clearml:'))
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(7);
    const exported = Object.entries(moduleExports);
    expect(
      exported
        .filter(([name]) => name.endsWith('_ACTION_ID'))
        .map(([, id]) => id)
        .sort(),
    ).toEqual(registered);
    expect(
      exported.filter(([name]) => /^createClearml\w+Action$/.test(name)),
    ).toHaveLength(registered.length);
    // The README's action table: one row per action, each linking to a page that exists.
    const readmePath = path.resolve(__dirname, '../README.md');
    const rows = fs
      .readFileSync(readmePath, 'utf8')
      .split('\n')
      .map(line => /^\| `(clearml:[^`]+)` +\|.*\]\(([^)]+)\) *\|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(rows.map(m => m[1]).sort()).toEqual(registered);
    for (const [, id, link] of rows) {
      expect({
        id,
        link,
        exists: fs.existsSync(path.resolve(path.dirname(readmePath), link)),
      }).toEqual({ id, link, exists: true });
    }
  });

  it('refuses a caller without credentials', async () => {
    const response = await fetch(`${baseUrl}/v2/actions`, {
      headers: { Authorization: mockCredentials.none.header() },
    });
    expect(response.status).toBe(401);
  });
});
