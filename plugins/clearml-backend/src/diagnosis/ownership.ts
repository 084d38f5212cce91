/**
 * Which pods and events belong to a workload, from names and owner
 * references alone: a Deployment's pods are owned by ReplicaSet
 * `<deployment>-<pod-template-hash>`, a StatefulSet's pods are `<name>-<ordinal>`.
 * The hash has no '-', so `clearml-apiserver` never claims `clearml-apiserver-asyncdelete`'s objects.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { WorkloadKind } from '../target/components';

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patterns(kind: WorkloadKind, name: string) {
  const n = escape(name);
  return kind === 'Deployment'
    ? {
        replicaSet: new RegExp(`^${n}-[a-z0-9]+$`),
        pod: new RegExp(`^${n}-[a-z0-9]+-[a-z0-9]+$`),
      }
    : { replicaSet: undefined, pod: new RegExp(`^${n}-\\d+$`) };
}

export function ownsPod(kind: WorkloadKind, name: string, pod: V1Pod): boolean {
  const owners = pod.metadata?.ownerReferences ?? [];
  const owner = owners.find(o => o.controller) ?? owners[0];
  if (!owner) return false;
  if (kind === 'StatefulSet')
    return owner.kind === 'StatefulSet' && owner.name === name;
  if (owner.kind !== 'ReplicaSet') return false;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  return hash
    ? owner.name === `${name}-${hash}`
    : patterns(kind, name).replicaSet!.test(owner.name);
}

export function eventConcerns(
  kind: WorkloadKind,
  name: string,
  event: CoreV1Event,
): boolean {
  const object = event.involvedObject;
  if (!object?.name) return false;
  const p = patterns(kind, name);
  switch (object.kind) {
    case kind:
      return object.name === name;
    case 'ReplicaSet':
      return Boolean(p.replicaSet?.test(object.name));
    case 'Pod':
      return p.pod.test(object.name);
    default:
      return false;
  }
}

/** When an event last happened (events carry one of three timestamps). */
export function eventTime(event: CoreV1Event): number {
  const t =
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}
