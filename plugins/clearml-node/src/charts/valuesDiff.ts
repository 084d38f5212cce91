/**
 * What changes in a chart's `values.yaml` between two versions, key by key, for the reviewer of an upgrade: keys
 * removed, keys added, defaults changed (old → new) and keys renamed. Only the chart's own values.yaml is compared;
 * subcharts' defaults are theirs (a subchart version change shows in the Chart.lock, not here).
 *
 * Keys are paths of mappings; a list, a scalar or an empty mapping is a leaf with its default. A key that is a leaf in
 * one version and a mapping in the other is a changed default, unless one side is the empty mapping `{}` (then its
 * children are added or removed).
 *
 * Renamed (a heuristic, stated in the pull request): a removed and an added leaf with the same last segment and the
 * same default (deep equal), paired only when each is the other's only candidate; anything less certain stays a
 * removal and an addition.
 */

/**
 * A key path's segments, e.g. `['apiserver', 'image', 'tag']`.
 *
 * @public
 */
export type ValuesKeyPath = readonly string[];

/**
 * One key of the difference, with its default(s).
 *
 * @public
 */
export interface ChartValuesKeyChange {
  /** Dotted path, e.g. `apiserver.image.tag` (a segment with a dot is quoted: `podAnnotations."a.b/c"`). */
  key: string;
  /** The old default (removed, changed, renamed). */
  from?: unknown;
  /** The new default (added, changed). */
  to?: unknown;
}

/**
 * The values-key differences between two versions of a chart.
 *
 * @public
 */
export interface ChartValuesDiff {
  removed: ChartValuesKeyChange[];
  added: ChartValuesKeyChange[];
  changed: ChartValuesKeyChange[];
  /** `key`: the old path; `renamedTo`: the new one; `from`: the shared default. */
  renamed: Array<ChartValuesKeyChange & { renamedTo: string }>;
}

/**
 * A chart's values (a parsed values.yaml).
 *
 * @public
 */
export type ChartValues = Record<string, unknown>;

function isMapping(value: unknown): value is ChartValues {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A dotted key path for display.
 *
 * @public
 */
export function formatValuesKey(path: ValuesKeyPath): string {
  return path
    .map(s => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s)))
    .join('.');
}

/** Every leaf of a values tree (scalars, lists, empty mappings), by formatted path. */
function leaves(
  values: unknown,
  prefix: string[] = [],
  out = new Map<string, { path: ValuesKeyPath; value: unknown }>(),
) {
  if (isMapping(values) && (Object.keys(values).length || !prefix.length)) {
    for (const [key, value] of Object.entries(values))
      leaves(value, [...prefix, key], out);
  } else {
    out.set(formatValuesKey(prefix), { path: prefix, value: values });
  }
  return out;
}

/** The node at `path`, or undefined when the tree has no such key. */
function nodeAt(values: unknown, path: ValuesKeyPath): unknown {
  let node: unknown = values;
  for (const segment of path) {
    if (
      !isMapping(node) ||
      !Object.prototype.hasOwnProperty.call(node, segment)
    )
      return undefined;
    node = node[segment];
  }
  return node;
}

function hasKey(values: unknown, path: ValuesKeyPath): boolean {
  let node: unknown = values;
  for (const segment of path) {
    if (
      !isMapping(node) ||
      !Object.prototype.hasOwnProperty.call(node, segment)
    )
      return false;
    node = node[segment];
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isMapping(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, canonical(value[k])]),
    );
  return value;
}

const isEmptyMapping = (v: unknown) => isMapping(v) && !Object.keys(v).length;

/**
 * The differences between the `values.yaml` of two versions of a chart.
 *
 * @public
 */
export function diffChartValues(
  oldValues: ChartValues,
  newValues: ChartValues,
): ChartValuesDiff {
  const oldLeaves = leaves(oldValues);
  const newLeaves = leaves(newValues);
  const removed: ChartValuesKeyChange[] = [];
  const changed: ChartValuesKeyChange[] = [];
  for (const [key, { path, value }] of oldLeaves) {
    if (!hasKey(newValues, path)) {
      removed.push({ key, from: value });
      continue;
    }
    const now = nodeAt(newValues, path);
    // `{}` that gained children: the children are added, the key is not changed.
    if (isEmptyMapping(value) && isMapping(now)) continue;
    if (!sameValue(value, now)) changed.push({ key, from: value, to: now });
  }
  const added: ChartValuesKeyChange[] = [];
  for (const [key, { path, value }] of newLeaves) {
    if (hasKey(oldValues, path)) {
      const before = nodeAt(oldValues, path);
      // A leaf that was a non-empty mapping: a changed default (its old children were removed).
      if (
        isMapping(before) &&
        !isEmptyMapping(before) &&
        !isEmptyMapping(value)
      )
        changed.push({ key, from: before, to: value });
      continue;
    }
    added.push({ key, to: value });
  }
  return { ...pairRenames(removed, added), changed: sortByKey(changed) };
}

const lastSegment = (key: string) => key.slice(key.lastIndexOf('.') + 1);

function pairRenames(
  removed: ChartValuesKeyChange[],
  added: ChartValuesKeyChange[],
): Pick<ChartValuesDiff, 'removed' | 'added' | 'renamed'> {
  const candidates = (
    from: ChartValuesKeyChange,
    pool: ChartValuesKeyChange[],
    own: 'from' | 'to',
    other: 'from' | 'to',
  ) =>
    pool.filter(
      c =>
        lastSegment(c.key) === lastSegment(from.key) &&
        sameValue(c[other], from[own]),
    );
  const renamed: ChartValuesDiff['renamed'] = [];
  const pairedOld = new Set<string>();
  const pairedNew = new Set<string>();
  for (const r of removed) {
    const forward = candidates(r, added, 'from', 'to');
    if (forward.length !== 1) continue;
    const backward = candidates(forward[0], removed, 'to', 'from');
    if (backward.length !== 1) continue;
    renamed.push({ key: r.key, renamedTo: forward[0].key, from: r.from });
    pairedOld.add(r.key);
    pairedNew.add(forward[0].key);
  }
  return {
    removed: sortByKey(removed.filter(r => !pairedOld.has(r.key))),
    added: sortByKey(added.filter(a => !pairedNew.has(a.key))),
    renamed: sortByKey(renamed),
  };
}

function sortByKey<T extends { key: string }>(changes: T[]): T[] {
  return [...changes].sort(
    (a, b) => Number(a.key > b.key) - Number(a.key < b.key),
  );
}

/**
 * True when the two versions' values.yaml have the same keys and defaults.
 *
 * @public
 */
export function isEmptyValuesDiff(diff: ChartValuesDiff): boolean {
  return (
    !diff.removed.length &&
    !diff.added.length &&
    !diff.changed.length &&
    !diff.renamed.length
  );
}

/**
 * The keys a tenant's values set (its rendered values file) that the new chart removed or renamed: the chart ignores
 * them from the new version on (Helm does not complain about unknown keys). `key`: the tenant's key path.
 *
 * @public
 */
export function tenantKeysLost(
  tenantValues: ChartValues,
  diff: ChartValuesDiff,
): Array<{ key: string; removed: string; renamedTo?: string }> {
  const gone = [
    ...diff.removed.map(r => ({ removed: r.key })),
    ...diff.renamed.map(r => ({ removed: r.key, renamedTo: r.renamedTo })),
  ];
  const lost: Array<{ key: string; removed: string; renamedTo?: string }> = [];
  for (const key of leaves(tenantValues).keys()) {
    const hit = gone.find(
      g =>
        key === g.removed ||
        key.startsWith(`${g.removed}.`) ||
        g.removed.startsWith(`${key}.`),
    );
    if (hit) lost.push({ key, ...hit });
  }
  return lost;
}
