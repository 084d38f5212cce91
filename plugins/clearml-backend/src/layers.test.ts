/**
 * The plugin's folders form layers: a folder imports only from its own and
 * lower ones, so each can be read (and tested) without those above it.
 * Test files and the test utilities may import anything.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Lowest first; folders on one line do not import each other. The package's root files sit above all. */
const LAYERS: string[][] = [
  ['kubernetes', 'target', 'catalog'],
  ['diagnosis', 'lifecycle'],
  ['health'],
  ['routes'],
];
const ROOT_RANK = LAYERS.length;

function rankOf(folder: string | undefined): number {
  if (folder === undefined) return ROOT_RANK;
  const rank = LAYERS.findIndex(layer => layer.includes(folder));
  if (rank < 0)
    throw new Error(`src/${folder} is in no layer of layers.test.ts`);
  return rank;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === '__testUtils__' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The folder directly under src/ a path is in; undefined for src/'s own files. */
function topFolder(file: string): string | undefined {
  const parts = path.relative(__dirname, file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']*)'/g;

describe('layers inside the plugin', () => {
  const files = sourceFiles(__dirname);

  it('finds the source files', () => {
    expect(files.map(f => path.relative(__dirname, f))).toEqual(
      expect.arrayContaining([
        'plugin.ts',
        'kubernetes/ClusterView.ts',
        'health/TenantHealthChecker.ts',
      ]),
    );
  });

  it('has no import from a higher layer, nor between folders of one layer', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = topFolder(file);
      const source = fs.readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(IMPORT)) {
        const to = topFolder(path.resolve(path.dirname(file), specifier));
        if (to === from) continue;
        if (rankOf(to) >= rankOf(from))
          upward.push(`${path.relative(__dirname, file)} imports ${specifier}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
