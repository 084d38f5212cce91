/**
 * How far a Deployment or StatefulSet is from what it wants: ready and desired
 * replicas, whether every replica runs the current template, and the
 * Deployment conditions that carry a failure.
 */
import type {
  V1Deployment,
  V1PodTemplateSpec,
  V1StatefulSet,
} from '@kubernetes/client-node';

export interface WorkloadState {
  ready: number;
  desired: number;
  /** All replicas run the current template. */
  rolledOut: boolean;
  template?: V1PodTemplateSpec;
  /** Deployment conditions that carry a failure (ReplicaFailure, ProgressDeadlineExceeded). */
  failures: Array<{ reason: string; message: string }>;
}

export function deploymentState(d: V1Deployment): WorkloadState {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const conditions = s.conditions ?? [];
  const failures = conditions
    .filter(
      c =>
        (c.type === 'ReplicaFailure' && c.status === 'True') ||
        (c.type === 'Progressing' &&
          c.status === 'False' &&
          c.reason === 'ProgressDeadlineExceeded'),
    )
    .map(c => ({ reason: c.reason ?? c.type, message: c.message ?? '' }));
  return {
    ready: s.readyReplicas ?? 0,
    desired,
    rolledOut:
      (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      (s.updatedReplicas ?? 0) >= desired &&
      (s.replicas ?? 0) <= desired,
    template: d.spec?.template,
    failures,
  };
}

export function statefulSetState(s: V1StatefulSet): WorkloadState {
  const desired = s.spec?.replicas ?? 1;
  const st = s.status;
  return {
    ready: st?.readyReplicas ?? 0,
    desired,
    rolledOut:
      (st?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 0) &&
      (!st?.updateRevision ||
        st.updateRevision === st.currentRevision ||
        (st.updatedReplicas ?? 0) >= desired),
    template: s.spec?.template,
    failures: [],
  };
}
