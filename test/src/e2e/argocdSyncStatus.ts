/**
 * The status Argo CD writes on an Application it synced, for the Argo CD simulation: the resolved revision of each
 * source, the operation's result and its history.
 */
import { KubeObject, KubernetesApiDouble } from '@internal/clearml-test-utils';

/**
 * What Argo CD's status says after a successful sync (argo-cd pkg/apis/application/v1alpha1 SyncStatus,
 * SyncOperationResult, RevisionHistory): per source, in the order of `spec.sources`, the revision it resolved — a
 * Helm chart's version, a git source's commit SHA — in `sync.revisions` (`sync.revision` for a single source), the
 * operation's result, and one more history entry (newest last).
 */
export function syncedStatus(
  kubernetes: KubernetesApiDouble,
  app: KubeObject,
  gitRevision: string | undefined,
): Record<string, unknown> {
  if (!gitRevision)
    throw new Error(
      `argocdSync: no commit for the git sources of ${app.metadata.name} (check out with checkout() or pass gitRevision)`,
    );
  const multiple = Array.isArray(app.spec?.sources);
  const sources: any[] = multiple ? app.spec.sources : [app.spec.source];
  const revisions = sources.map(s =>
    s.chart ? s.targetRevision : gitRevision,
  );
  const resolved = multiple
    ? { revisions, sources }
    : { revision: revisions[0], source: sources[0] };
  const now = new Date().toISOString();
  const live = kubernetes.get(
    app.apiVersion,
    app.kind,
    app.metadata.name,
    app.metadata.namespace,
  ) as KubeObject | undefined;
  const history: any[] = live?.status?.history ?? [];
  return {
    reconciledAt: now,
    sync: {
      status: 'Synced',
      comparedTo: {
        ...(multiple ? { sources } : { source: sources[0] }),
        destination: app.spec?.destination,
      },
      ...(multiple ? { revisions } : { revision: revisions[0] }),
    },
    operationState: {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: now,
      finishedAt: now,
      syncResult: resolved,
    },
    history: [
      ...history,
      {
        id: history.length,
        ...resolved,
        deployStartedAt: now,
        deployedAt: now,
      },
    ],
  };
}
