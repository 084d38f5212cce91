/**
 * The GitOps sync stage: the tenant's Argo CD Applications (labelled
 * `clear.ml/tenant=<tenant>` in Argo CD's namespace), their sync and health
 * status as Argo CD reports them (`status.sync.status`, `status.health.status`,
 * `status.operationState.phase`).
 */
import { LifecycleStage } from '@clearml-openshift/plugin-clearml-common';

/** An Application source as far as the chart versions need it: a Helm source names its `chart`. */
export interface ArgoSource {
  chart?: string;
  targetRevision?: string;
}

/**
 * Sources and the revision of each as Argo CD resolved them (argo-cd `SyncStatus`, `RevisionHistory`): `revisions`,
 * one per source, for a multi-source Application, `revision` for a single-source one; a Helm source's revision is
 * the chart version.
 */
export interface ArgoRevisions {
  revision?: string;
  revisions?: string[];
}

export interface ArgoApplication {
  metadata?: { name?: string };
  spec?: { source?: ArgoSource; sources?: ArgoSource[] };
  status?: {
    sync?: ArgoRevisions & {
      status?: string;
      comparedTo?: { source?: ArgoSource; sources?: ArgoSource[] };
    };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      /** What the last sync operation applied (argo-cd `SyncOperationResult`). */
      syncResult?: ArgoRevisions & {
        source?: ArgoSource;
        sources?: ArgoSource[];
      };
    };
    /**
     * When Argo CD last compared the Application with the latest commit of its sources (argo-cd ApplicationStatus
     * `reconciledAt`): before a merge, it has not seen the merged files yet.
     */
    reconciledAt?: string;
    /** Argo CD's sync history, oldest first: the last entry is what it last deployed. */
    history?: Array<
      ArgoRevisions & { source?: ArgoSource; sources?: ArgoSource[] }
    >;
  };
}

function stage(
  state: LifecycleStage['state'],
  summary: string,
  extra: Partial<LifecycleStage> = {},
): LifecycleStage {
  return { id: 'sync', state, summary, ...extra };
}

const FAILED_HEALTH = new Set(['Degraded', 'Missing']);
const FAILED_PHASE = new Set(['Failed', 'Error']);

export function syncStage(
  read: { items: ArgoApplication[] } | { unavailable: string },
  options: {
    pullRequest: LifecycleStage['state'];
    namespace: string;
    tenant: string;
  },
): LifecycleStage {
  if ('unavailable' in read)
    return stage('unknown', 'Sync unknown', { unavailable: read.unavailable });
  const apps = read.items;
  if (!apps.length) {
    if (options.pullRequest === 'active' || options.pullRequest === 'failed')
      return stage('pending', 'Waits for the merge');
    return stage('unknown', 'No Argo CD Application found', {
      unavailable: `No Application labelled clear.ml/tenant=${options.tenant} in ${options.namespace} (${
        options.pullRequest === 'done'
          ? 'Argo CD may not have picked up the merge yet'
          : 'the tenant may be deployed another way, or by an ApplicationSet that does not label its Applications'
      })`,
    });
  }
  const describe = (a: ArgoApplication) =>
    `${a.metadata?.name}: ${a.status?.sync?.status ?? 'Unknown'}, ${a.status?.health?.status ?? 'Unknown'}`;
  const failed = apps.filter(
    a =>
      FAILED_HEALTH.has(a.status?.health?.status ?? '') ||
      FAILED_PHASE.has(a.status?.operationState?.phase ?? ''),
  );
  if (failed.length) {
    const a = failed[0];
    const why = a.status?.operationState?.message ?? a.status?.health?.message;
    return stage(
      'failed',
      `${failed.map(describe).join('; ')}${why ? ` (${why})` : ''}`,
    );
  }
  const done = apps.every(
    a =>
      a.status?.sync?.status === 'Synced' &&
      a.status?.health?.status === 'Healthy',
  );
  return done
    ? stage('done', apps.map(describe).join('; '))
    : stage('active', apps.map(describe).join('; '));
}
