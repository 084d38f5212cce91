/**
 * The pull request of a tenant's chart upgrade: which release moves from which chart version to which, the values-key
 * differences between the two versions (from the packaged charts), the keys this tenant sets that the new version
 * removed or renamed, the files that change, and what was checked. Every value is escaped (markdown.ts): chart
 * defaults come from a chart repository, tenant values from the GitOps repository.
 */
import type { ChartValuesDiff } from '../../charts/valuesDiff';
import { code, table, text } from './markdown';

/** Rows shown per table; the rest is counted. */
const MAX_ROWS = 60;
/** A default longer than this is cut (the reviewer reads the chart for the rest). */
const MAX_VALUE_LENGTH = 80;

/**
 * One release of the tenant whose chart version moves.
 *
 * @public
 */
export interface UpgradedRelease {
  /** The Argo CD Application, e.g. `clearml-acme-server`. */
  application: string;
  chart: string;
  from: string;
  to: string;
  /** The new version's Chart.yaml kubeVersion, when known. */
  kubeVersion?: string;
  /** The values differences, or why they could not be read. */
  values: { diff: ChartValuesDiff } | { unavailable: string };
  /** Keys the tenant's values file sets that the new version removed or renamed. */
  lost: Array<{ key: string; removed: string; renamedTo?: string }>;
}

/** @public */
export interface UpgradeDescriptionInput {
  tenant: string;
  entityRef: string;
  cluster: string;
  /** The cluster's Kubernetes version, as GET /version answered when the pull request was opened. */
  kubernetesVersion: string;
  targetPath: string;
  releases: UpgradedRelease[];
  /** Repository paths: changed, added and removed files of the tenant's directory. */
  files: { changed: string[]; added: string[]; removed: string[] };
  /** What the chart check had to say (a configured kubeVersion override and its risk). */
  deviations: string[];
  requestedBy?: string;
}

/**
 * `Upgrade ClearML tenant <tenant> on <cluster>: clearml 7.14.1 → 7.14.4, …`
 *
 * @public
 */
export function upgradePullRequestTitle(
  tenant: string,
  cluster: string,
  releases: ReadonlyArray<Pick<UpgradedRelease, 'chart' | 'from' | 'to'>>,
): string {
  const moves = releases.map(r => `${r.chart} ${r.from} → ${r.to}`).join(', ');
  return `Upgrade ClearML tenant ${tenant} on ${cluster}: ${moves}`;
}

function value(v: unknown): string {
  const json = JSON.stringify(v) ?? 'null';
  return code(
    json.length > MAX_VALUE_LENGTH
      ? `${json.slice(0, MAX_VALUE_LENGTH - 1)}…`
      : json,
  );
}

function capped(header: string[], rows: string[][]): string {
  const shown = table(header, rows.slice(0, MAX_ROWS));
  return rows.length > MAX_ROWS
    ? `${shown}\n\n…and ${rows.length - MAX_ROWS} more.`
    : shown;
}

function valuesSection(release: UpgradedRelease): string[] {
  const title = `### Values keys: ${code(release.chart)} ${code(release.from)} → ${code(release.to)}`;
  if ('unavailable' in release.values) {
    return [
      title,
      '',
      `The differences could not be read: ${text(release.values.unavailable)}. Compare the two versions' ` +
        '`values.yaml` before merging.',
    ];
  }
  const { diff } = release.values;
  const parts = [title, ''];
  if (
    !diff.removed.length &&
    !diff.added.length &&
    !diff.changed.length &&
    !diff.renamed.length
  ) {
    parts.push(
      "No values key differs: the two versions' `values.yaml` have the same keys and defaults (their templates " +
        'may still differ).',
    );
    return parts;
  }
  parts.push(
    `${diff.removed.length} removed, ${diff.renamed.length} renamed, ${diff.added.length} added, ` +
      `${diff.changed.length} with a new default.`,
  );
  if (diff.removed.length)
    parts.push(
      '',
      '**Removed**',
      '',
      capped(
        ['key', 'old default'],
        diff.removed.map(r => [code(r.key), value(r.from)]),
      ),
    );
  if (diff.renamed.length)
    parts.push(
      '',
      '**Renamed** (a removed and an added key with the same last segment and the same default, each the ' +
        "other's only match)",
      '',
      capped(
        ['old key', 'new key', 'default'],
        diff.renamed.map(r => [code(r.key), code(r.renamedTo), value(r.from)]),
      ),
    );
  if (diff.added.length)
    parts.push(
      '',
      '**Added**',
      '',
      capped(
        ['key', 'default'],
        diff.added.map(a => [code(a.key), value(a.to)]),
      ),
    );
  if (diff.changed.length)
    parts.push(
      '',
      '**Default changed**',
      '',
      capped(
        ['key', 'old default', 'new default'],
        diff.changed.map(c => [code(c.key), value(c.from), value(c.to)]),
      ),
    );
  return parts;
}

function lostSection(releases: UpgradedRelease[]): string[] {
  const lost = releases.flatMap(r => r.lost.map(l => ({ ...l, release: r })));
  if (!lost.length) return [];
  return [
    '### ⚠️ Keys this tenant sets that the new charts ignore',
    '',
    "Helm does not refuse unknown keys: after the merge these settings of the tenant's values no longer take effect.",
    '',
    table(
      ['release', 'key the tenant sets', 'in the new chart'],
      lost.map(l => [
        code(l.release.application),
        code(l.key),
        l.renamedTo
          ? `renamed to ${code(l.renamedTo)}: move the setting there`
          : `${code(l.removed)} removed`,
      ]),
    ),
    '',
  ];
}

function filesSection(files: UpgradeDescriptionInput['files']): string[] {
  const list = (label: string, paths: string[]) =>
    paths.length ? [`- ${label}: ${paths.map(p => code(p)).join(', ')}`] : [];
  return [
    '### Files',
    '',
    ...list('changed', files.changed),
    ...list('added', files.added),
    ...list('removed', files.removed),
    '',
  ];
}

/**
 * The pull request body of a tenant's chart upgrade.
 *
 * @public
 */
export function renderUpgradeDescription(
  input: UpgradeDescriptionInput,
): string {
  const releases = input.releases.map(r => [
    code(r.application),
    code(r.chart),
    code(r.from),
    code(r.to),
    r.kubeVersion ? code(r.kubeVersion) : 'unknown',
  ]);
  return [
    `## Upgrade the charts of ClearML tenant ${code(input.tenant)}`,
    '',
    `Tenant ${code(input.entityRef)} on cluster ${code(input.cluster)} (Kubernetes ${code(input.kubernetesVersion)}), ` +
      `directory ${code(`${input.targetPath}/`)}: its files re-rendered with the chart versions the platform ` +
      "configured (`clearml.charts`), from its settings record as the creation template renders them; the tenant's " +
      'settings do not change. _Files_ below lists every file that does.',
    '',
    table(['Application', 'chart', 'from', 'to', 'kubeVersion'], releases),
    '',
    ...input.releases.flatMap(r => [...valuesSection(r), '']),
    ...lostSection(input.releases),
    ...filesSection(input.files),
    '### What merging does',
    '',
    "Argo CD syncs each Application to its new chart version: Helm upgrades the release in place, in the tenant's " +
      'namespace, with the same values file. StatefulSets keep their PersistentVolumeClaims, so MongoDB, ' +
      "Elasticsearch, Redis and the fileserver keep their data. The tenant's card shows _Upgrading_ until the " +
      'Applications run the new versions, and the fleet page shows no drift once they do.',
    '',
    '### Checked before this pull request was opened',
    '',
    `- Kubernetes ${code(input.kubernetesVersion)} of ${code(input.cluster)} (GET /version) is admitted by every new ` +
      "chart version's kubeVersion.",
    '- No other pull request of the tenant (create, change, retire) is open.',
    ...input.deviations.map(d => `- ${text(d)}`),
    ...(input.requestedBy
      ? ['', `Requested by ${code(input.requestedBy)} through Backstage.`]
      : []),
    '',
  ].join('\n');
}
