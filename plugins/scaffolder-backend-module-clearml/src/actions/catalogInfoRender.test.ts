import { ConfigReader } from '@backstage/config';
import { tenantEntityAnnotations } from '@clearml-openshift/plugin-clearml-common';
import { tenantCatalogInfoProblem } from '@clearml-openshift/plugin-clearml-node';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { createClearmlCatalogInfoRenderAction } from './catalogInfoRender';
import { examples } from './catalogInfoRender.examples';
import { temporaryWorkspace } from './__testUtils__/workspace';

const config = new ConfigReader({
  clearml: {
    clusters: [
      {
        name: 'ocp-prod',
        url: 'https://api.ocp-prod.example.com:6443',
        serviceAccountToken: 't',
      },
    ],
  },
});
const BASE = {
  tenant: 'acme',
  owner: 'group:default/ml-platform',
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  edition: 'oss',
};

describe('clearml:catalog-info:render', () => {
  const action = createClearmlCatalogInfoRenderAction({ config });
  const workspace = temporaryWorkspace('clearml-catalog-info-');
  const read = async (file: string) =>
    fs.readFile(path.join(workspace.path, file), 'utf8');

  it("writes one Resource of type clearml-tenant with the tenant's annotations", async () => {
    const output = await workspace.run(action, {
      ...BASE,
      description: 'Vision team',
      webUrl: 'https://acme-app.example.com',
    });
    expect(output).toEqual({
      file: 'catalog-info.yaml',
      entityRef: 'resource:default/acme',
    });
    const text = await read('catalog-info.yaml');
    expect(tenantCatalogInfoProblem(text, 'acme')).toBeUndefined();
    expect(yaml.load(text)).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'acme',
        title: 'ClearML tenant acme',
        description: 'Vision team',
        annotations: tenantEntityAnnotations({
          tenant: 'acme',
          cluster: 'ocp-prod',
          namespace: 'clearml-acme',
          release: 'clearml',
          edition: 'oss',
        }),
        links: [
          { url: 'https://acme-app.example.com', title: 'ClearML web UI' },
        ],
        tags: ['clearml'],
      },
      spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
    });
  });

  it('keeps a hostile description and owner as data: the injected Template never becomes an entity', async () => {
    const injected =
      'group:default/platform\n---\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\n';
    await workspace.expectRefused(
      action,
      { ...BASE, owner: injected },
      'owner',
    );
    await workspace.expectRefused(
      action,
      { ...BASE, owner: 'component:default/x' },
      'owner',
    );
    await workspace.expectRefused(
      action,
      { ...BASE, cluster: 'ocp-prod\nkind: Template' },
      'cluster',
    );
    await workspace.expectRefused(
      action,
      { ...BASE, webUrl: 'http://acme-app.example.com' },
      'webUrl',
    );
    await workspace.run(action, {
      ...BASE,
      description: `x\n---\n${injected}`,
    });
    const text = await read('catalog-info.yaml');
    expect(yaml.loadAll(text)).toHaveLength(1);
    expect((yaml.load(text) as any).metadata.description).toBe(
      `x\n---\n${injected}`,
    );
    expect(tenantCatalogInfoProblem(text, 'acme')).toBeUndefined();
  });

  it('names where the pull request is, so the card follows it: the GitOps repository and the tenant branch', async () => {
    await workspace.expectRefused(
      action,
      { ...BASE, gitopsRepoUrl: 'github.com/platform/gitops' },
      'gitopsRepoUrl',
    );
    await workspace.expectRefused(
      action,
      {
        ...BASE,
        gitopsRepoUrl: 'github.com?owner=platform&repo=gitops',
        gitopsBranch: 'x\nkind: Template',
      },
      'gitopsBranch',
    );
    await workspace.run(action, {
      ...BASE,
      gitopsRepoUrl: 'github.com?owner=platform&repo=gitops',
    });
    const annotations = (yaml.load(await read('catalog-info.yaml')) as any)
      .metadata.annotations;
    expect(annotations['clear.ml/gitops-repo']).toBe(
      'github.com?owner=platform&repo=gitops',
    );
    expect(annotations['clear.ml/gitops-branch']).toBe('clearml/acme');
  });

  it('refuses a cluster that is not configured', async () => {
    await workspace.expectRefused(
      action,
      { ...BASE, cluster: 'nope' },
      'cluster',
    );
  });

  it('runs every example', async () => {
    for (const example of examples) {
      const input = (yaml.load(example.example) as any).steps[0].input;
      if (String(input.tenant).startsWith('${{')) continue; // the template example: run by the end-to-end test
      const output = await workspace.run(action, input);
      expect(output.entityRef).toBe(`resource:default/${input.tenant}`);
      const entity = yaml.load(await read(output.file)) as any;
      expect(entity.metadata.annotations['clear.ml/app-gateway-release']).toBe(
        'clearml-app-gateway',
      );
    }
  });

  it("the registered-file check refuses anything but the tenant's one Resource", () => {
    const resource =
      'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: acme }\nspec: { type: clearml-tenant }\n';
    expect(tenantCatalogInfoProblem(resource, 'acme')).toBeUndefined();
    expect(
      tenantCatalogInfoProblem(
        `${resource}---\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\n`,
        'acme',
      ),
    ).toBe('must hold exactly one entity (it holds 2 YAML documents)');
    expect(
      tenantCatalogInfoProblem(
        resource.replace('Resource', 'Location'),
        'acme',
      ),
    ).toMatch(/must hold a backstage.io\/v1alpha1 Resource/);
    expect(tenantCatalogInfoProblem(resource, 'vision')).toMatch(
      /must describe resource vision/,
    );
    expect(
      tenantCatalogInfoProblem(
        resource.replace('clearml-tenant', 'database'),
        'acme',
      ),
    ).toMatch(/spec.type clearml-tenant/);
  });
});
