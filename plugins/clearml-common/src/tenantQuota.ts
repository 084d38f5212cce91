/**
 * What a size tier means for one tenant: the pods the charts run for it,
 * sized by the tier, and its ResourceQuota computed from them, so the quota
 * always admits the chart's own pods (and a rolling update's extra pod) with
 * room for the tier's task pods.
 */
import { Edition } from './editions';
import { bytesOf, cpuMillis, formatBytes, formatCpu } from './quantities';
import {
  ContainerResources,
  SIZED_CLAIMS,
  SizedContainer,
  SizeTier,
} from './tiers';

/**
 * What a tenant runs besides the server, which decides its pods.
 *
 * @public
 */
export interface TenantShape {
  edition: Edition;
  agent: boolean;
  appGateway: boolean;
}

/**
 * One pod the charts run for a tenant: its containers and init containers, by the tier's sizes.
 *
 * @public
 */
export interface SizedPod {
  name: string;
  containers: SizedContainer[];
  initContainers: SizedContainer[];
  /** A Deployment whose rolling update starts the new pod before the old one ends (maxSurge above 0). */
  surges: boolean;
}

/**
 * The pods a tenant's charts run (one replica each), by the tier's container names.
 *
 * @public
 */
export function tenantSizedPods(shape: TenantShape): SizedPod[] {
  const pod = (
    name: string,
    containers: SizedContainer[],
    initContainers: SizedContainer[],
    surges: boolean,
  ): SizedPod => ({ name, containers, initContainers, surges });
  return [
    pod('apiserver', ['apiserver'], ['serverInit'], true),
    pod('asyncdelete', ['apiserver'], ['serverInit'], true),
    pod('fileserver', ['fileserver'], ['serverInit'], true),
    pod('webserver', ['webserver'], ['serverInit'], true),
    // The clearml chart sets mongodb's maxSurge to 0: its claim is ReadWriteOnce.
    pod('mongodb', ['mongodb'], [], false),
    pod('redis', ['redis'], [], false),
    pod('elasticsearch', ['elasticsearch'], ['elasticsearchInit'], false),
    ...(shape.agent ? [pod('agent', ['agent'], ['agentInit'], true)] : []),
    ...(shape.appGateway ? [pod('app-gateway', ['appGateway'], [], true)] : []),
  ];
}

/** @public */
export interface PodTotals {
  cpuRequestMillis: number;
  memoryRequestBytes: number;
  cpuLimitMillis: number;
  memoryLimitBytes: number;
}

/**
 * A pod's effective requests and limits as the quota counts them: the larger
 * of the sum of its containers and its largest init container.
 *
 * @public
 */
export function podTotals(
  containers: readonly ContainerResources[],
  initContainers: readonly ContainerResources[] = [],
): PodTotals {
  const sum = (
    list: readonly ContainerResources[],
    pick: (c: ContainerResources) => number,
  ) => list.reduce((total, c) => total + pick(c), 0);
  const max = (
    list: readonly ContainerResources[],
    pick: (c: ContainerResources) => number,
  ) => list.reduce((top, c) => Math.max(top, pick(c)), 0);
  const both = (pick: (c: ContainerResources) => number) =>
    Math.max(sum(containers, pick), max(initContainers, pick));
  return {
    cpuRequestMillis: both(c => cpuMillis(c.requests.cpu)),
    memoryRequestBytes: both(c => bytesOf(c.requests.memory)),
    cpuLimitMillis: both(c => cpuMillis(c.limits.cpu)),
    memoryLimitBytes: both(c => bytesOf(c.limits.memory)),
  };
}

/**
 * The ResourceQuota's `hard` of a tenant on a tier: its pods, one extra pod
 * of the largest Deployment for a rolling update, and the tier's task pods;
 * every claim's storage.
 *
 * @public
 */
export function tenantQuotaHard(
  tier: SizeTier,
  shape: TenantShape,
): Record<string, string> {
  const pods = tenantSizedPods(shape);
  const totals = pods.map(p => ({
    pod: p,
    totals: podTotals(
      p.containers.map(c => tier.containers[c]),
      p.initContainers.map(c => tier.containers[c]),
    ),
  }));
  const task = podTotals([tier.taskPods]);
  const pick = (key: keyof PodTotals) => {
    const chart = totals.reduce((sum, t) => sum + t.totals[key], 0);
    const surge = totals
      .filter(t => t.pod.surges)
      .reduce((top, t) => Math.max(top, t.totals[key]), 0);
    return chart + surge + tier.taskPods.count * task[key];
  };
  const claims = SIZED_CLAIMS.map(c => bytesOf(tier.storage[c]));
  return {
    'requests.cpu': formatCpu(pick('cpuRequestMillis')),
    'requests.memory': formatBytes(pick('memoryRequestBytes')),
    'limits.cpu': formatCpu(pick('cpuLimitMillis')),
    'limits.memory': formatBytes(pick('memoryLimitBytes')),
    pods: String(pods.length + 1 + tier.taskPods.count),
    'requests.storage': formatBytes(claims.reduce((a, b) => a + b, 0)),
    persistentvolumeclaims: String(claims.length),
  };
}

/**
 * The quota keys the card shows as used/hard, with their labels.
 *
 * @public
 */
export const QUOTA_SHOWN: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'requests.cpu', label: 'CPU' },
  { key: 'requests.memory', label: 'Memory' },
  { key: 'pods', label: 'Pods' },
  { key: 'requests.storage', label: 'Storage' },
];
