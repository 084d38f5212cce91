/**
 * The releases of a tenant as its Applications pin them (chart, version, repository, values file), which of them an
 * upgrade moves, and what each move means for the tenant's values: the values-key differences between the two
 * packaged chart versions (read from their Helm repositories, once per pair in a run) and the keys the tenant sets
 * that the new version removed or renamed.
 */
import yaml from 'js-yaml';
import {
  ChartArchive,
  diffChartValues,
  HelmRepositoryClient,
  tenantKeysLost,
  UpgradedRelease,
} from '@clearml-openshift/plugin-clearml-node';

/** One Application's Helm source, as applications.yaml pins it. */
export interface PinnedRelease {
  application: string;
  chart: string;
  version: string;
  repository: string;
  /** Repository path of its values file (`$values/<path>`), when it has one. */
  valuesFile?: string;
}

/** Every Application of an applications.yaml with a chart source; a document that is none is ignored. */
export function pinnedReleases(
  applicationsYaml: string | undefined,
): PinnedRelease[] {
  if (!applicationsYaml) return [];
  const pinned: PinnedRelease[] = [];
  for (const doc of yaml.loadAll(applicationsYaml, undefined, {
    schema: yaml.CORE_SCHEMA,
  }) as any[]) {
    if (doc?.kind !== 'Application') continue;
    const sources: any[] = [
      ...(doc.spec?.sources ?? []),
      ...(doc.spec?.source ? [doc.spec.source] : []),
    ];
    const source = sources.find(s => s && typeof s.chart === 'string');
    if (!source) continue;
    const valueFile = (source.helm?.valueFiles ?? []).find(
      (f: unknown) => typeof f === 'string' && f.startsWith('$values/'),
    );
    pinned.push({
      application: String(doc.metadata?.name),
      chart: source.chart,
      version: String(source.targetRevision),
      repository: String(source.repoURL),
      ...(valueFile ? { valuesFile: valueFile.slice('$values/'.length) } : {}),
    });
  }
  return pinned;
}

/** A release whose chart version an upgrade moves: as pinned now, and as re-rendered. */
export interface ReleaseMove {
  current?: PinnedRelease;
  next: PinnedRelease;
}

/** The re-rendered releases whose version (or repository) differs from the current files'. */
export function releaseMoves(
  current: PinnedRelease[],
  next: PinnedRelease[],
): ReleaseMove[] {
  return next
    .map(n => ({ current: current.find(c => c.chart === n.chart), next: n }))
    .filter(
      m =>
        !m.current ||
        m.current.version !== m.next.version ||
        m.current.repository !== m.next.repository,
    );
}

/** Reads each packaged chart once per run; a failure is remembered as the reason it is unavailable. */
export function chartArchiveCache(helm: HelmRepositoryClient) {
  const cache = new Map<string, Promise<ChartArchive>>();
  return (release: Pick<PinnedRelease, 'chart' | 'version' | 'repository'>) => {
    const key = `${release.repository}\n${release.chart}\n${release.version}`;
    if (!cache.has(key)) {
      const read = helm.chartArchive(release);
      read.catch(() => undefined);
      cache.set(key, read);
    }
    return cache.get(key)!;
  };
}

/** What the pull request says of one move: the differences, or why they are unavailable, and the tenant's lost keys. */
export async function describeMove(options: {
  move: ReleaseMove;
  archive: ReturnType<typeof chartArchiveCache>;
  /** The tenant's re-rendered files, by repository path. */
  files: Map<string, string>;
  kubeVersion?: string;
}): Promise<UpgradedRelease> {
  const { move, archive, files } = options;
  const base = {
    application: move.current?.application ?? move.next.application,
    chart: move.next.chart,
    from: move.current?.version ?? 'none',
    to: move.next.version,
    ...(options.kubeVersion ? { kubeVersion: options.kubeVersion } : {}),
  };
  if (!move.current) {
    return {
      ...base,
      values: { unavailable: 'the release is new in this tenant' },
      lost: [],
    };
  }
  let from: ChartArchive;
  let to: ChartArchive;
  try {
    // Both versions from the configured repository: the tenant's files are untrusted (anyone who can push to the
    // GitOps repository writes them), so the backend never fetches from a URL they name.
    [from, to] = await Promise.all([
      archive({ ...move.current, repository: move.next.repository }),
      archive(move.next),
    ]);
  } catch (error) {
    return {
      ...base,
      values: { unavailable: (error as Error).message },
      lost: [],
    };
  }
  const diff = diffChartValues(from.values, to.values);
  const valuesText = move.next.valuesFile
    ? files.get(move.next.valuesFile)
    : undefined;
  let tenantValues: unknown;
  try {
    tenantValues = valuesText
      ? yaml.load(valuesText, { schema: yaml.CORE_SCHEMA })
      : undefined;
  } catch {
    tenantValues = undefined;
  }
  const lost =
    tenantValues && typeof tenantValues === 'object'
      ? tenantKeysLost(tenantValues as Record<string, unknown>, diff)
      : [];
  return { ...base, values: { diff }, lost };
}

/** The paths that differ between the tenant's current and re-rendered files. */
export function filesDiff(
  current: Map<string, Buffer>,
  next: Map<string, string>,
): { changed: string[]; added: string[]; removed: string[] } {
  const changed: string[] = [];
  const added: string[] = [];
  for (const [path, content] of next) {
    const now = current.get(path);
    if (!now) added.push(path);
    else if (!now.equals(Buffer.from(content, 'utf8'))) changed.push(path);
  }
  const removed = [...current.keys()].filter(p => !next.has(p));
  return {
    changed: changed.sort(),
    added: added.sort(),
    removed: removed.sort(),
  };
}
