import { tenantHosts } from '@clearml-openshift/plugin-clearml-common';
import { parseYamlStream } from '@clearml-openshift/plugin-clearml-node';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { createClearmlRoutesRenderAction } from './routesRender';
import { examples } from './routesRender.examples';
import { temporaryWorkspace } from './__testUtils__/workspace';
import { BAD_TENANT_INPUTS } from './__testUtils__/badTenantInputs';

describe('clearml:routes:render', () => {
  const action = createClearmlRoutesRenderAction();
  const workspace = temporaryWorkspace('clearml-routes-');
  const run = (
    input: Record<string, unknown>,
    extra: { isDryRun?: boolean } = {},
  ) => workspace.run(action, input, extra);
  const listWorkspace = () => workspace.list();

  it('writes routes.yaml at targetPath and outputs its path and the hosts', async () => {
    const output = await run({
      tenant: 'beta',
      domain: 'beta.example.com',
      edition: 'enterprise',
      appGateway: { enabled: true },
      targetPath: 'tenants/beta',
    });
    expect(output).toEqual({
      files: ['tenants/beta/routes.yaml'],
      hosts: {
        api: 'beta-api.example.com',
        files: 'beta-files.example.com',
        web: 'beta-app.example.com',
        appGateway: '*.beta-appgw.example.com',
      },
    });
    const routes = parseYamlStream(
      await fs.readFile(
        path.join(workspace.path, 'tenants/beta/routes.yaml'),
        'utf8',
      ),
    ) as any[];
    expect(
      routes.map(r => [
        r.kind,
        r.metadata.name,
        r.spec.host,
        r.spec.port.targetPort,
        r.spec.wildcardPolicy,
      ]),
    ).toEqual([
      [
        'Route',
        'clearml-clearml-enterprise-apiserver',
        'beta-api.example.com',
        8008,
        'None',
      ],
      [
        'Route',
        'clearml-clearml-enterprise-fileserver',
        'beta-files.example.com',
        8081,
        'None',
      ],
      [
        'Route',
        'clearml-clearml-enterprise-webserver',
        'beta-app.example.com',
        8080,
        'None',
      ],
      [
        'Route',
        'clearml-app-gateway',
        'wildcard.beta-appgw.example.com',
        8080,
        'Subdomain',
      ],
    ]);
    expect(await listWorkspace()).toEqual([
      'tenants',
      'tenants/beta',
      'tenants/beta/routes.yaml',
    ]);
  });

  it('applies the defaults: open source, namespace clearml-<tenant>, workspace root', async () => {
    const output = await run({ tenant: 'acme', domain: 'acme.example.com' });
    expect(output.files).toEqual(['routes.yaml']);
    expect(output.hosts).toEqual({
      api: 'acme-api.example.com',
      files: 'acme-files.example.com',
      web: 'acme-app.example.com',
    });
    const routes = parseYamlStream(
      await fs.readFile(path.join(workspace.path, 'routes.yaml'), 'utf8'),
    ) as any[];
    expect(
      routes.map(r => [
        r.metadata.namespace,
        r.metadata.name,
        r.spec.port.targetPort,
      ]),
    ).toEqual([
      ['clearml-acme', 'clearml-apiserver', 8008],
      ['clearml-acme', 'clearml-fileserver', 8081],
      ['clearml-acme', 'clearml-webserver', 80],
    ]);
  });

  it('writes nothing in ingress mode but still outputs the hosts', async () => {
    const output = await run({
      tenant: 'acme',
      domain: 'acme.example.com',
      exposure: 'ingress',
      targetPath: 'out',
    });
    expect(output).toEqual({
      files: [],
      hosts: {
        api: 'acme-api.example.com',
        files: 'acme-files.example.com',
        web: 'acme-app.example.com',
      },
    });
    expect(await listWorkspace()).toEqual([]);
  });

  it('renders the same files in a dry run (the dry-run workspace is a scratch copy whose files are shown)', async () => {
    const output = await run(
      { tenant: 'acme', domain: 'acme.example.com', targetPath: 'x' },
      { isDryRun: true },
    );
    expect(output.files).toEqual(['x/routes.yaml']);
    expect(
      await fs.readFile(path.join(workspace.path, 'x/routes.yaml'), 'utf8'),
    ).toContain('kind: Route');
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const { steps } = yaml.load(example.example) as {
        steps: Array<{ action: string; input: Record<string, unknown> }>;
      };
      expect(steps[0].action).toBe('clearml:routes:render');
      const output = await run(steps[0].input);
      const { files, hosts } = output as {
        files: string[];
        hosts: { web: string };
      };
      expect(hosts.web).toBe(tenantHosts(String(steps[0].input.domain)).web);
      // Ingress exposure leaves the Routes to the chart's Ingresses: no file.
      expect(files).toHaveLength(steps[0].input.exposure === 'ingress' ? 0 : 1);
      for (const file of files) {
        expect(
          parseYamlStream(
            await fs.readFile(path.join(workspace.path, file), 'utf8'),
          ).length,
        ).toBeGreaterThanOrEqual(3);
      }
    },
  );

  it.each(BAD_TENANT_INPUTS)(
    'refuses %s with an InputError naming the field, and writes nothing',
    (_, bad, field) =>
      workspace.expectRefused(
        action,
        { tenant: 'acme', domain: 'acme.example.com', ...bad },
        field,
      ),
  );

  it('refuses bad input in a dry run too', async () => {
    await expect(
      run({ tenant: 'acme', domain: 'a b' }, { isDryRun: true }),
    ).rejects.toThrow(InputError);
    expect(await listWorkspace()).toEqual([]);
  });
});
