/** The status Argo CD writes on an Application it synced, as the simulations record it. */
import type { KubeObject } from '../charts/argocdSync';

/**
 * What Argo CD records once an Application synced (argo-cd controller/state.go, `CompareAppState`, and
 * `RevisionHistory`, at commit 37ee0097cf851bc2dd7665fc081bbce61a7e836e): `sync.revisions`, one per source in the
 * order of `spec.sources` (for a Helm chart source the chart version it resolved, for a git source the commit),
 * `sync.comparedTo` the sources it compared, and a `history` entry with the same revisions and sources.
 * (A single-source Application records `revision` and `source` instead.)
 */
export function syncedStatus(
  app: KubeObject,
  gitRevision?: string,
  history: unknown[] = [],
): Record<string, unknown> {
  const multi = Array.isArray(app.spec.sources);
  const sources: any[] = multi ? app.spec.sources : [app.spec.source];
  const revisions = sources.map(s =>
    s.chart
      ? String(s.targetRevision)
      : (gitRevision ?? String(s.targetRevision)),
  );
  const compared = multi
    ? { revisions, sources }
    : { revision: revisions[0], source: sources[0] };
  const now = new Date().toISOString();
  return {
    sync: {
      status: 'Synced',
      ...(multi ? { revisions } : { revision: revisions[0] }),
      comparedTo: {
        ...(multi ? { sources } : { source: sources[0] }),
        destination: app.spec.destination,
      },
    },
    history: [
      ...history,
      {
        id: history.length,
        ...compared,
        deployStartedAt: now,
        deployedAt: now,
      },
    ],
  };
}
