/**
 * The effective change as a section of a pull request's description. Every name and value comes from files a
 * form shaped, so each goes through the Markdown helpers (code spans, escaped text), never into the text as is.
 */
import type {
  EffectiveChange,
  ManifestRef,
  ReleaseRef,
  SccGrantRef,
  ValuesFileChange,
  ValuesKeyChange,
} from './effectiveChange';
import { code, table } from './markdown';

/** Rows of one values file shown before the rest is left to the file's diff. */
const MAX_VALUES_ROWS = 40;
/** A value longer than this is cut (the diff has it whole). */
const MAX_VALUE_LENGTH = 80;

function value(v: string | undefined, hidden: boolean | undefined): string {
  if (hidden) return '_not shown (a credential)_';
  if (v === undefined) return '';
  return code(
    v.length > MAX_VALUE_LENGTH ? `${v.slice(0, MAX_VALUE_LENGTH - 1)}…` : v,
  );
}

function valuesTable(file: ValuesFileChange): string {
  const rows = (
    [
      ['added', file.added],
      ['changed', file.changed],
      ['removed', file.removed],
    ] as Array<[string, ValuesKeyChange[]]>
  ).flatMap(([what, keys]) =>
    keys.map(k => [
      what,
      code(k.key),
      value(k.before, k.hidden),
      value(k.after, k.hidden),
    ]),
  );
  const reader = file.application
    ? ` (Application ${code(file.application)}${file.release ? `, release ${code(file.release)}` : ''})`
    : '';
  const counts = `${file.added.length} added, ${file.changed.length} changed, ${file.removed.length} removed`;
  return [
    `${code(file.file)}${reader}: ${counts}`,
    '',
    table(['', 'key', 'before', 'after'], rows.slice(0, MAX_VALUES_ROWS)),
    ...(rows.length > MAX_VALUES_ROWS
      ? [
          '',
          `… and ${rows.length - MAX_VALUES_ROWS} more keys: see the file's diff.`,
        ]
      : []),
  ].join('\n');
}

function grantLine(g: SccGrantRef): string {
  return `- SCC ${code(g.scc)} for ServiceAccount ${code(g.serviceAccount)}${g.namespace ? ` in ${code(g.namespace)}` : ''}`;
}

function grantsSection(change: EffectiveChange): string {
  const { added, removed } = change.grants;
  if (!added.length && !removed.length) return '#### SCC grants\n\nUnchanged.';
  return [
    '#### SCC grants',
    ...(added.length
      ? [
          '',
          `**Added** (RoleBindings in ${code('scc-grants.yaml')}; a cluster admin approves them: each lets the ` +
            "ServiceAccount's pods run under that SCC):",
          '',
          ...added.map(grantLine),
        ]
      : []),
    ...(removed.length
      ? [
          '',
          '**Removed** (Argo CD prunes the RoleBinding, or drops the account from it):',
          '',
          ...removed.map(grantLine),
        ]
      : []),
  ].join('\n');
}

function objectCells(action: string, o: ManifestRef): string[] {
  return [
    action,
    code(`${o.kind}/${o.name}`),
    o.namespace ? code(o.namespace) : '',
  ];
}

function releaseLine(
  what: 'installed' | 'deleted' | 'updated',
  r: ReleaseRef,
): string {
  const chart = r.chart
    ? code(`${r.chart} ${r.version ?? ''}`.trim())
    : 'its chart';
  const release = r.release ? ` as release ${code(r.release)}` : '';
  if (what === 'installed')
    return `- Application ${code(r.application)} is new: Argo CD installs ${chart}${release}.`;
  if (what === 'updated')
    return `- Application ${code(r.application)} changes: Argo CD syncs ${chart}${release} as it now says.`;
  return r.finalizer
    ? `- Application ${code(r.application)} is removed: its finalizer makes Argo CD delete the release${r.release ? ` ${code(r.release)}` : ''} and every object of it (${chart}).`
    : `- Application ${code(r.application)} is removed, **without the resources finalizer: the objects of its release stay** on the cluster.`;
}

function argocdSection(change: EffectiveChange): string {
  const { created, updated, pruned } = change.objects;
  const rows = [
    ...created.map(o => objectCells('create', o)),
    ...updated.map(o => objectCells('update', o)),
    ...pruned.map(o => objectCells('prune', o)),
  ];
  const releases = [
    ...change.releases.installed.map(r => releaseLine('installed', r)),
    ...change.releases.deleted.map(r => releaseLine('deleted', r)),
    ...change.releases.updated.map(r => releaseLine('updated', r)),
  ];
  const touched = new Set(
    [...change.releases.installed, ...change.releases.deleted].map(
      r => r.application,
    ),
  );
  const revalued = change.values
    .filter(v => v.application && !touched.has(v.application))
    .map(
      v =>
        `- ${v.release ? `Release ${code(v.release)}` : `Application ${code(v.application!)}`} renders again with the changed ${code(v.file)}: Argo CD applies the chart's objects that differ.`,
    );
  return [
    '#### What Argo CD does after the merge',
    '',
    rows.length
      ? table(['', 'object', 'namespace'], rows)
      : '_No object of the directory is created, updated or pruned._',
    ...(releases.length + revalued.length
      ? ['', ...releases, ...revalued]
      : []),
  ].join('\n');
}

function fileList(label: string, paths: string[]): string[] {
  return paths.length ? [`- ${label}: ${paths.map(code).join(', ')}`] : [];
}

/**
 * The effective change as a Markdown section (`### Effective change`), for the pull request's description and the
 * dry run's log.
 *
 * @public
 */
export function renderEffectiveChange(change: EffectiveChange): string {
  const { added, removed, modified } = change.files;
  const files = [
    ...fileList('added', added),
    ...fileList('removed (no longer rendered)', removed),
    ...fileList('modified', modified),
  ];
  return [
    '### Effective change',
    '',
    files.length ? files.join('\n') : '_No file changes._',
    '',
    '#### Helm values',
    '',
    change.values.length
      ? change.values.map(valuesTable).join('\n\n')
      : 'Unchanged.',
    '',
    grantsSection(change),
    '',
    argocdSection(change),
  ].join('\n');
}

/**
 * One line per part of the change, for a task's output and log: counts only, no name from the files.
 *
 * @public
 */
export function summarizeEffectiveChange(change: EffectiveChange): string[] {
  const count = (n: number, what: string) =>
    `${n} ${what}${n === 1 ? '' : 's'}`;
  const keys = change.values.reduce(
    (n, v) => n + v.added.length + v.removed.length + v.changed.length,
    0,
  );
  return [
    `files: ${change.files.added.length} added, ${change.files.removed.length} removed, ${change.files.modified.length} modified`,
    `values: ${count(keys, 'key')} in ${count(change.values.length, 'file')}`,
    `SCC grants: ${change.grants.added.length} added, ${change.grants.removed.length} removed`,
    `objects: ${change.objects.created.length} created, ${change.objects.updated.length} updated, ${change.objects.pruned.length} pruned`,
    `releases: ${change.releases.installed.length} installed, ${change.releases.deleted.length} deleted`,
  ];
}
