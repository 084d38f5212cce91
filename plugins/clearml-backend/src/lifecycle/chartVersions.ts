/**
 * The chart versions a tenant runs, from its Argo CD Applications: each Helm source (`chart`, `targetRevision`) and
 * the revision Argo CD resolved for it (argo-cd `SyncStatus.revisions`, one per source, the chart version for a Helm
 * source; `revision` for a single-source Application). While an Application is `Synced`, what runs is what the sync
 * status compared; out of sync (a new version merged, not applied yet), what runs is its last deployment
 * (`status.history`, newest last; with `revisionHistoryLimit: 0` there is none, then the last sync operation's result
 * if it succeeded). Against the configured version of each chart: drift.
 */
import {
  chartRoleOf,
  TenantChartVersion,
} from '@clearml-openshift/plugin-clearml-common';
import { ArgoApplication, ArgoRevisions, ArgoSource } from './sync';

function sourcesOf(holder?: {
  source?: ArgoSource;
  sources?: ArgoSource[];
}): ArgoSource[] | undefined {
  return holder?.sources ?? (holder?.source ? [holder.source] : undefined);
}

function revisionsOf(holder?: ArgoRevisions): string[] | undefined {
  return (
    holder?.revisions ?? (holder?.revision ? [holder.revision] : undefined)
  );
}

/** The revision of `chart`'s source: the sources and revisions that were resolved together, by index. */
function revisionOfChart(
  chart: string,
  sources: ArgoSource[] | undefined,
  revisions: string[] | undefined,
): string | undefined {
  const index = sources?.findIndex(s => s.chart === chart) ?? -1;
  return index >= 0 ? revisions?.[index] || undefined : undefined;
}

function deployedVersion(
  app: ArgoApplication,
  chart: string,
): string | undefined {
  const status = app.status;
  const specSources = sourcesOf(app.spec);
  if (status?.sync?.status === 'Synced') {
    const synced = revisionOfChart(
      chart,
      sourcesOf(status.sync.comparedTo) ?? specSources,
      revisionsOf(status.sync),
    );
    if (synced) return synced;
  }
  // Out of sync: the last deployment; without history (revisionHistoryLimit 0), the last sync that succeeded.
  const last =
    status?.history?.[status.history.length - 1] ??
    (status?.operationState?.phase === 'Succeeded'
      ? status.operationState.syncResult
      : undefined);
  return last
    ? revisionOfChart(chart, sourcesOf(last) ?? specSources, revisionsOf(last))
    : undefined;
}

/**
 * Every chart the Applications deploy (charts of the tenant's roles only), with what runs, what the repository names
 * and what is configured.
 */
export function tenantChartVersions(
  applications: readonly ArgoApplication[],
  configured: (chart: string) => string | undefined,
): TenantChartVersion[] {
  return applications.flatMap(app =>
    (sourcesOf(app.spec) ?? []).flatMap(source => {
      const role = source.chart ? chartRoleOf(source.chart) : undefined;
      if (!source.chart || !role || !source.targetRevision) return [];
      const deployed = deployedVersion(app, source.chart);
      const version = configured(source.chart);
      return [
        {
          chart: source.chart,
          role,
          application: app.metadata?.name ?? '',
          ...(deployed ? { deployed } : {}),
          target: source.targetRevision,
          ...(version ? { configured: version } : {}),
          drift: !!version && (deployed ?? source.targetRevision) !== version,
        },
      ];
    }),
  );
}
