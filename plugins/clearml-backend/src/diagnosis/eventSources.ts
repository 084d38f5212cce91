/**
 * Whose events a check reads. Events only matter while a workload is short of
 * what it wants (diagnose.ts ignores them otherwise), so a settled tenant
 * costs no event call at all, and an unsettled one a call per object that can
 * carry its warnings: the StatefulSet, the Deployment's ReplicaSets and the
 * workload's pods that are not ready. Nothing else in the namespace is read.
 */
import type {
  V1Deployment,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { ComponentSpec } from '../target/components';
import { EventSource, NamespaceObjects } from '../kubernetes/objects';
import { deploymentState, statefulSetState } from './workloadState';
import { podClaims } from './claims';
import { ownsPod } from './ownership';

/** `ReplicaSet "clearml-webserver-5d8f9c" is progressing.`: the Deployment controller names its current ReplicaSet. */
const REPLICA_SET_IN_CONDITION = /ReplicaSet "([^"]+)"/;

function podReady(pod: V1Pod): boolean {
  return Boolean(
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ),
  );
}

export function eventSources(
  specs: ComponentSpec[],
  objects: Map<string, NamespaceObjects>,
): EventSource[] {
  const sources = new Map<string, EventSource>();
  const add = (source: EventSource) =>
    sources.set(`${source.namespace}/${source.kind}/${source.name}`, source);
  for (const spec of specs) {
    const listed = objects.get(spec.namespace);
    if (!listed) continue;
    const { kind, name } = spec.workload;
    const namespace = spec.namespace;
    const pods = listed.pods.filter(p => ownsPod(kind, name, p));
    if (kind === 'StatefulSet') {
      const sts = listed.statefulSets.find(s => s.metadata?.name === name) as
        V1StatefulSet | undefined;
      const state = sts && statefulSetState(sts);
      if (!state || (state.ready >= state.desired && state.rolledOut)) continue;
      add({ namespace, kind: 'StatefulSet', name });
    } else {
      const deployment = listed.deployments.find(
        d => d.metadata?.name === name,
      ) as V1Deployment | undefined;
      const state = deployment && deploymentState(deployment);
      if (!state || (state.ready >= state.desired && state.rolledOut)) continue;
      for (const condition of deployment.status?.conditions ?? []) {
        const rs = REPLICA_SET_IN_CONDITION.exec(condition.message ?? '')?.[1];
        if (rs) add({ namespace, kind: 'ReplicaSet', name: rs });
      }
      for (const pod of pods) {
        const owner = pod.metadata?.ownerReferences?.find(
          o => o.kind === 'ReplicaSet',
        );
        if (owner) add({ namespace, kind: 'ReplicaSet', name: owner.name });
      }
    }
    for (const pod of pods)
      if (!podReady(pod) && pod.metadata?.name) {
        add({ namespace, kind: 'Pod', name: pod.metadata.name });
        // A claim that does not bind is told on the claim (its pod only waits for it).
        for (const claim of podClaims(pod))
          add({ namespace, kind: 'PersistentVolumeClaim', name: claim });
      }
  }
  return [...sources.values()];
}
