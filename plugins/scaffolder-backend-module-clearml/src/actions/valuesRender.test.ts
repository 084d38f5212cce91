import { tenantHosts } from '@clearml-openshift/plugin-clearml-common';
import { parseYamlStream } from '@clearml-openshift/plugin-clearml-node';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { createClearmlValuesRenderAction } from './valuesRender';
import { examples, valuesRenderExamples } from './valuesRender.examples';
import { temporaryWorkspace } from './__testUtils__/workspace';
import { BAD_TENANT_INPUTS } from './__testUtils__/badTenantInputs';

describe('clearml:values:render', () => {
  const action = createClearmlValuesRenderAction();
  const workspace = temporaryWorkspace('clearml-values-');
  const run = (
    input: Record<string, unknown>,
    extra: { isDryRun?: boolean } = {},
  ) => workspace.run(action, input, extra);
  const listWorkspace = () => workspace.list();

  async function readValues(
    relativePath: string,
  ): Promise<Record<string, any>> {
    const docs = parseYamlStream(
      await fs.readFile(path.join(workspace.path, relativePath), 'utf8'),
    );
    expect(docs).toHaveLength(1);
    return docs[0] as Record<string, any>;
  }

  it('is the action the contract names, with dry-run support and examples', () => {
    expect(action.id).toBe('clearml:values:render');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples).toEqual(examples);
    const input = action.schema?.input as {
      required?: string[];
      properties: Record<string, unknown>;
    };
    expect(input.required?.sort()).toEqual(['domain', 'tenant']);
    expect(Object.keys(action.schema?.output as any).length).toBeGreaterThan(0);
  });

  it('writes the server values at targetPath and outputs files, urls, grants, namespace and deviations', async () => {
    const out = await run({
      tenant: 'acme',
      domain: 'acme.example.com',
      targetPath: 'tenants/acme',
    });
    expect(out.files).toEqual(['tenants/acme/clearml-values.yaml']);
    expect(out.urls).toEqual({
      api: 'https://acme-api.example.com',
      files: 'https://acme-files.example.com',
      web: 'https://acme-app.example.com',
    });
    expect(out.namespace).toBe('clearml-acme');
    expect(out.sccGrants.map((g: any) => [g.scc, g.serviceAccount])).toEqual([
      ['anyuid', 'clearml-apiserver'],
      ['anyuid', 'clearml-fileserver'],
      ['anyuid', 'clearml-webserver'],
    ]);
    for (const grant of out.sccGrants)
      expect(grant.reason).toMatch(/runs as root/);
    expect(out.deviations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clearml-values\.yaml: .*ClusterIP/),
      ]),
    );
    expect(await listWorkspace()).toEqual([
      'tenants',
      'tenants/acme',
      'tenants/acme/clearml-values.yaml',
    ]);

    const values = await readValues('tenants/acme/clearml-values.yaml');
    expect(values.apiserver.service.type).toBe('ClusterIP');
    expect(values.clearml.clientConfigurationApiUrl).toBe(out.urls.api);
    const text = await fs.readFile(
      path.join(workspace.path, 'tenants/acme/clearml-values.yaml'),
      'utf8',
    );
    expect(
      text.startsWith(
        "# ClearML server values for tenant 'acme': namespace clearml-acme",
      ),
    ).toBe(true);
  });

  it('writes the agent and app gateway values when enabled', async () => {
    const out = await run({
      tenant: 'beta',
      domain: 'beta.example.com',
      edition: 'enterprise',
      agent: { enabled: true, queue: 'gpu' },
      appGateway: { enabled: true },
    });
    expect(out.files).toEqual([
      'clearml-values.yaml',
      'clearml-agent-values.yaml',
      'clearml-app-gateway-values.yaml',
    ]);
    expect(out.sccGrants).toEqual([]);
    expect(
      (await readValues('clearml-agent-values.yaml')).agentk8sglue.queue,
    ).toBe('gpu');
    expect(
      (await readValues('clearml-app-gateway-values.yaml')).fullnameOverride,
    ).toBe('clearml-app-gateway');
    const script = (await readValues('clearml-values.yaml')).clearmlApplications
      .containerCustomBashScript;
    expect(script).toContain('for i in {{20..5}}; do');
    expect(
      out.deviations.some((d: string) =>
        d.startsWith('clearml-app-gateway-values.yaml: fullnameOverride'),
      ),
    ).toBe(true);
  });

  it('renders the same files in a dry run', async () => {
    const input = {
      tenant: 'acme',
      domain: 'acme.example.com',
      agent: { enabled: true },
      targetPath: 'x',
    };
    const real = await run(input);
    const contents = await Promise.all(
      real.files.map((f: string) =>
        fs.readFile(path.join(workspace.path, f), 'utf8'),
      ),
    );
    await fs.rm(workspace.path, { recursive: true, force: true });
    await fs.mkdir(workspace.path);

    const dry = await run(input, { isDryRun: true });
    expect(dry).toEqual(real);
    expect(
      await Promise.all(
        dry.files.map((f: string) =>
          fs.readFile(path.join(workspace.path, f), 'utf8'),
        ),
      ),
    ).toEqual(contents);
  });

  it.each(valuesRenderExamples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const { steps } = yaml.load(example.example) as {
        steps: Array<{ action: string; input: Record<string, unknown> }>;
      };
      expect(steps).toHaveLength(1);
      expect(steps[0].action).toBe('clearml:values:render');
      const out = await run(steps[0].input);
      expect(out.files).toEqual(example.produces.files);
      expect(out.sccGrants.map((g: any) => [g.scc, g.serviceAccount])).toEqual(
        example.produces.sccGrants,
      );
      for (const file of out.files)
        expect(await readValues(file)).toBeInstanceOf(Object);
      expect(out.urls.web).toBe(
        `https://${tenantHosts(String(steps[0].input.domain)).web}`,
      );
      // The description states the files and grants the example produces.
      for (const [scc] of example.produces.sccGrants)
        expect(example.description).toContain(scc);
      expect(/no SCC grants/.test(example.description)).toBe(
        example.produces.sccGrants.length === 0,
      );
    },
  );

  it.each(BAD_TENANT_INPUTS)(
    'refuses %s with an InputError naming the field, and writes nothing',
    (_, bad, field) =>
      workspace.expectRefused(
        action,
        {
          tenant: 'acme',
          domain: 'acme.example.com',
          agent: { enabled: true },
          ...bad,
        },
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
