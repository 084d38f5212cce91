/**
 * The config schema of every package that reads config (`configSchema: config.d.ts`), loaded the way a Backstage
 * backend loads it (@backstage/config-loader), checked against the repository's own app-config files.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';

const REPO = path.resolve(__dirname, '../../..');

/** Which package reads which keys; each must declare exactly these in its own config.d.ts. */
const READERS: Record<string, string[]> = {
  '@clearml-openshift/plugin-clearml-node': [
    'clearml.charts',
    'clearml.clusters',
    'clearml.credentials.delivery',
    'clearml.gitops.argocd',
    'clearml.gitops.localTargets',
    'clearml.tenants',
    'kubernetes.clusterLocatorMethods',
  ],
  '@clearml-openshift/plugin-clearml-backend': [
    'clearml.demo',
    'clearml.health',
  ],
  '@clearml-openshift/plugin-scaffolder-backend-module-clearml': [
    'clearml.gitops.protectedBranches',
    'clearml.scc',
  ],
};
const PACKAGES = Object.keys(READERS);

function appConfig(file: string): JsonObject {
  return yaml.load(
    fs.readFileSync(path.join(REPO, file), 'utf8'),
  ) as JsonObject;
}

/** The key paths a JSON schema declares, down to the level the READERS table names. */
function declaredPaths(schema: any, prefix = ''): string[] {
  if (!schema || typeof schema !== 'object' || !schema.properties)
    return prefix ? [prefix] : [];
  return Object.entries(schema.properties).flatMap(([key, child]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    // A key's own declaration: stop at the level the READERS table names.
    const named = Object.values(READERS).flat();
    return named.includes(here) ? [here] : declaredPaths(child, here);
  });
}

type SchemaEntry = { path: string; value: any };

/** Each package's own schema, compiled from its config.d.ts as the backend does at startup (slow: loaded once). */
const bySchemaPackage: Record<string, SchemaEntry[]> = {};

/** The merged schema of the three packages, as a backend that installs them sees it. */
function mergedSchema(options: { noUndeclaredProperties?: boolean } = {}) {
  return loadConfigSchema({
    serialized: {
      backstageConfigSchemaVersion: 1,
      schemas: Object.values(bySchemaPackage).flat(),
    },
    ...options,
  });
}

beforeAll(async () => {
  for (const name of PACKAGES) {
    const schema = await loadConfigSchema({
      dependencies: [name],
      excludePackageDependencies: true,
    });
    bySchemaPackage[name] = (
      schema.serialize() as { schemas: SchemaEntry[] }
    ).schemas;
  }
}, 120_000);

describe('config schema', () => {
  it('is declared by the package that reads each key, and by no other', () => {
    for (const name of PACKAGES) {
      const schemas = bySchemaPackage[name];
      expect(schemas.map(s => path.relative(REPO, s.path))).toEqual([
        expect.stringMatching(/^plugins\/[^/]+\/config\.d\.ts$/),
      ]);
      expect({
        name,
        declares: declaredPaths(schemas[0].value).sort(),
      }).toEqual({ name, declares: READERS[name] });
    }
  });

  it('ships config.d.ts in every package that has one', () => {
    for (const name of PACKAGES) {
      const pkg = JSON.parse(
        fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8'),
      );
      expect({
        name,
        configSchema: pkg.configSchema,
        files: pkg.files,
      }).toEqual({
        name,
        configSchema: 'config.d.ts',
        files: expect.arrayContaining(['config.d.ts']),
      });
    }
  });

  describe.each(['app-config.yaml', 'app-config.production.yaml'])(
    '%s',
    file => {
      it('validates against the merged schema, with every clearml key declared', async () => {
        // noUndeclaredProperties: a key the plugins do not read (a typo, a key that moved) fails here. Only the
        // keys these packages own are given to it; the rest of the file belongs to Backstage's own packages.
        const schema = await mergedSchema({ noUndeclaredProperties: true });
        const { clearml, kubernetes } = appConfig(file);
        expect(clearml).toBeDefined();
        const data = {
          clearml,
          ...(kubernetes ? { kubernetes } : {}),
        } as JsonObject;
        expect(() => schema.process([{ data, context: file }])).not.toThrow();
      });

      it('keeps cluster tokens and CA data out of what the frontend may see', async () => {
        const schema = await mergedSchema();
        const { clearml } = appConfig(file);
        const [visible] = schema.process(
          [{ data: { clearml } as JsonObject, context: file }],
          {
            visibility: ['frontend', 'backend'],
          },
        );
        const clusters = (visible.data as any).clearml.clusters as object[];
        expect(clusters.length).toBeGreaterThan(0);
        for (const cluster of clusters) {
          expect(cluster).toHaveProperty('url');
          expect(cluster).not.toHaveProperty('serviceAccountToken');
          expect(cluster).not.toHaveProperty('grantToken');
          expect(cluster).not.toHaveProperty('caData');
        }
      });
    },
  );

  it('refuses a value of the wrong type or a misspelt key, naming it', async () => {
    const schema = await mergedSchema();
    expect(() =>
      schema.process([
        {
          data: { clearml: { health: { cacheSeconds: 'soon' } } },
          context: 'test',
        },
      ]),
    ).toThrow(/\/clearml\/health\/cacheSeconds/);
    expect(() =>
      schema.process([
        {
          data: { clearml: { gitops: { argocd: { render: 'helm' } } } },
          context: 'test',
        },
      ]),
    ).toThrow(/\/clearml\/gitops\/argocd\/render/);
    // A misspelt key is caught by the same check the app-config files pass.
    const strict = await mergedSchema({ noUndeclaredProperties: true });
    expect(() =>
      strict.process([
        { data: { clearml: { health: { cacheSecs: 5 } } }, context: 'test' },
      ]),
    ).toThrow(/cacheSecs/);
  });
});
