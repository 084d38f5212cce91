/**
 * The catalog rule shipped with the product (catalogModuleClearmlTenants), in
 * the real catalog: an entity of kind Resource and type clearml-tenant enters
 * the catalog only from a tenant's own file in a configured GitOps repository
 * (here the local target, registered by the template through the local-git
 * route). Look-alikes from a file the user controls lose the type (they are
 * kept, visible, so a squatter is named by the pull-request preflight instead
 * of silently blocking the real tenant); other Resources are left alone.
 */
import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- this test package runs the real backend plugin, through its public entry
import { catalogModuleClearmlTenants } from '@clearml-openshift/plugin-clearml-backend';
import { tenantEntityAnnotations } from '@clearml-openshift/plugin-clearml-common';
import {
  CLUSTER,
  E2eWorld,
  LOCAL_GIT_HOST,
  startWorld,
  tenantFormValues,
} from '../e2e/fixtures';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from '../e2e/__testUtils__/backendApi';

jest.setTimeout(180_000);

let world: E2eWorld;
let backend: { stop(): Promise<void> };
let baseUrl: string;
const api = backendApi(() => baseUrl);

beforeAll(async () => {
  world = await startWorld();
  const annotations = tenantEntityAnnotations({
    cluster: CLUSTER,
    namespace: 'clearml-psi',
    release: 'clearml',
    edition: 'oss',
    tenant: 'psi',
  });
  const file = path.join(world.workDir, 'user-location.yaml');
  fs.writeFileSync(
    file,
    [
      // Takes tenant psi's entity ref before it is created.
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'psi', annotations },
        spec: { type: 'clearml-tenant', owner: 'user:default/mallory' },
      },
      // A look-alike in another catalog namespace.
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'psi', namespace: 'evil', annotations },
        spec: { type: 'clearml-tenant', owner: 'user:default/mallory' },
      },
      // Not a tenant: the rule leaves it alone.
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'psi-db' },
        spec: { type: 'database', owner: 'user:default/mallory' },
      },
    ]
      .map(d => yaml.dump(d))
      .join('---\n'),
  );
  (world.config as any).catalog.locations.push({ type: 'file', target: file });
  ({ backend, baseUrl } = await startTenantBackend(world, [
    catalogModuleClearmlTenants,
  ]));
  await eventually('the file location read', async () =>
    (await api('/api/catalog/entities/by-name/resource/default/psi-db'))
      .status === 200
      ? true
      : undefined,
  );
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
});

describe('catalogModuleClearmlTenants', () => {
  it('takes the clearml-tenant type from Resources of other locations, with the reason, and leaves other Resources alone', async () => {
    for (const ref of ['resource/default/psi', 'resource/evil/psi']) {
      const res = await api(`/api/catalog/entities/by-name/${ref}`);
      expect({ ref, status: res.status, type: res.body.spec?.type }).toEqual({
        ref,
        status: 200,
        type: 'clearml-tenant-refused',
      });
      expect(
        res.body.metadata.annotations['clear.ml/refused-tenant'],
      ).toContain('not a ClearML tenant: ');
    }
    const tenants = await api(
      '/api/catalog/entities?filter=kind=resource,spec.type=clearml-tenant',
    );
    expect(tenants.body).toEqual([]);
    expect(
      (await api('/api/catalog/entities/by-name/resource/default/psi-db')).body
        .spec.type,
    ).toBe('database');
  });

  it('the squatter is named at preflight; the real tenant of another name is registered from its own file and is the tenant', async () => {
    const squatted = await runTenantTemplate(
      api,
      tenantFormValues('psi', {
        repoUrl: `${LOCAL_GIT_HOST}?owner=platform&repo=gitops`,
      }),
    );
    expect(squatted.status).toBe('failed');
    expect(squatted.log).toContain(
      'tenant: resource:default/psi already exists in the catalog, registered from file:',
    );
    const { status, log } = await runTenantTemplate(
      api,
      tenantFormValues('omicron', {
        repoUrl: `${LOCAL_GIT_HOST}?owner=platform&repo=gitops`,
      }),
    );
    expect([status, log]).toEqual(['completed', expect.any(String)]);
    const entity = await eventually('the tenant in the catalog', async () => {
      const res = await api(
        '/api/catalog/entities/by-name/resource/default/omicron',
      );
      return res.status === 200 ? res.body : undefined;
    });
    expect(entity.spec).toEqual({
      type: 'clearml-tenant',
      owner: 'group:default/ml-team',
    });
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toMatch(
      /^url:http:\/\/localhost:\d+\/api\/clearml\/v1\/local-git\/git\.local\/platform\/gitops\/[0-9a-f]{40}\/tenants\/omicron\/catalog-info\.yaml$/,
    );
    const health = await api(
      `/api/clearml/v1/health?entityRef=${encodeURIComponent('resource:default/omicron')}`,
    );
    expect(health.status).toBe(200);
  });
});
