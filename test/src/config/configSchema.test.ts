/**
 * The config schema of every package that reads config (`configSchema: config.d.ts`), loaded the way a Backstage
 * backend loads it (@backstage/config-loader), checked against the repository's own app-config files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';

const REPO = path.resolve(__dirname, '../../..');

/** Which package reads which keys; each must declare exactly these in its own config.d.ts. */
const READERS: Record<string, string[]> = {
  '@clearml-openshift/plugin-clearml-node': [
    'clearml.certificates',
    'clearml.charts',
    'clearml.clusters',
    'clearml.credentials.delivery',
    'clearml.gitops.argocd',
    'clearml.gitops.localTargets',
    'clearml.gitops.repositories',
    'clearml.images',
    'clearml.tenants',
    'clearml.tiers',
    'kubernetes.clusterLocatorMethods',
  ],
  '@clearml-openshift/plugin-clearml-backend': ['clearml.health'],
  '@clearml-openshift/plugin-scaffolder-backend-module-clearml': [
    'clearml.fleet.platformGroup',
    'clearml.gitops.protectedBranches',
    'clearml.scc',
  ],
};
const PACKAGES = Object.keys(READERS);

/** The keys only the local instance reads (`npm start`), declared beside it and shipped in no package. */
const LOCAL_INSTANCE_SCHEMA = 'packages/backend/config.d.ts';
const LOCAL_INSTANCE_KEYS = ['clearml.demo'];
/** The config files of the local instance; the others are what a production backend is given. */
const LOCAL_INSTANCE_FILES = ['app-config.yaml'];

function appConfig(file: string): JsonObject {
  return yaml.load(
    fs.readFileSync(path.join(REPO, file), 'utf8'),
  ) as JsonObject;
}

/** The key paths a JSON schema declares, down to the level the READERS table names. */
function declaredPaths(
  schema: any,
  prefix = '',
  named: string[] = Object.values(READERS).flat(),
): string[] {
  if (!schema || typeof schema !== 'object' || !schema.properties)
    return prefix ? [prefix] : [];
  return Object.entries(schema.properties).flatMap(([key, child]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    // A key's own declaration: stop at the level the table names.
    return named.includes(here) ? [here] : declaredPaths(child, here, named);
  });
}

type SchemaEntry = { path: string; value: any };

/** Every key path a JSON schema declares, down to its leaves (array items stand for their elements). */
function leafPaths(schema: any, prefix: string[] = []): string[][] {
  if (schema?.items) return leafPaths(schema.items, prefix);
  if (!schema?.properties) return prefix.length ? [prefix] : [];
  return Object.entries(schema.properties).flatMap(([key, child]) =>
    leafPaths(child, [...prefix, key]),
  );
}

/** A Markdown section: from its heading to the next heading of the same level. */
function section(file: string, heading: string): string {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no section ${heading}`);
  const level = heading.split(' ')[0];
  const end = text.indexOf(`\n${level} `, start + heading.length + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Each package's own schema, compiled from its config.d.ts as the backend does at startup (slow: loaded once). */
const bySchemaPackage: Record<string, SchemaEntry[]> = {};

/** The local instance's own schema, compiled the same way. */
let localInstanceSchema: SchemaEntry[] = [];

/** The merged schema of the three packages, as a backend that installs them sees it (and the local instance's). */
function mergedSchema(
  options: { noUndeclaredProperties?: boolean; localInstance?: boolean } = {},
) {
  const { localInstance, ...rest } = options;
  return loadConfigSchema({
    serialized: {
      backstageConfigSchemaVersion: 1,
      schemas: [
        ...Object.values(bySchemaPackage).flat(),
        ...(localInstance ? localInstanceSchema : []),
      ],
    },
    ...rest,
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
  // config-loader compiles a .d.ts schema named by a package.json: a throwaway one outside the repository names it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-local-schema-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'clearml-local-instance',
        version: '0.0.0',
        configSchema: path.join(REPO, LOCAL_INSTANCE_SCHEMA),
      }),
    );
    const schema = await loadConfigSchema({
      dependencies: [],
      packagePaths: [path.join(dir, 'package.json')],
      excludePackageDependencies: true,
    });
    localInstanceSchema = (schema.serialize() as { schemas: SchemaEntry[] })
      .schemas;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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

  it("declares the local instance's keys beside it, in no package", () => {
    expect(
      localInstanceSchema.map(s => ({
        path: path.relative(REPO, path.resolve(s.path)),
        declares: declaredPaths(s.value, '', LOCAL_INSTANCE_KEYS).sort(),
      })),
    ).toEqual([{ path: LOCAL_INSTANCE_SCHEMA, declares: LOCAL_INSTANCE_KEYS }]);
    const packaged = Object.values(bySchemaPackage)
      .flat()
      .flatMap(s => declaredPaths(s.value, '', LOCAL_INSTANCE_KEYS));
    expect(packaged).not.toEqual(expect.arrayContaining(LOCAL_INSTANCE_KEYS));
  });

  it("names every declared key in the configuration reference (the README's, and docs/architecture.md's it points to)", () => {
    const reference = [
      section('README.md', '## Configuration reference'),
      section('docs/architecture.md', '## Config'),
    ].join('\n');
    const named = (word: string) =>
      new RegExp(
        `(^|[^A-Za-z0-9-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9-])`,
      ).test(reference);
    const keys = [...Object.values(bySchemaPackage), localInstanceSchema]
      .flat()
      .flatMap(s => leafPaths(s.value));
    expect(keys.length).toBeGreaterThan(50);
    // Every segment of every key: `clearml.charts.clearml-agent.version` needs `charts`, `clearml-agent`, `version`.
    expect(
      keys
        .filter(key => !key.every(named))
        .map(key => `${key.join('.')} (${key.filter(k => !named(k))})`),
    ).toEqual([]);
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
        const schema = await mergedSchema({
          noUndeclaredProperties: true,
          localInstance: LOCAL_INSTANCE_FILES.includes(file),
        });
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
