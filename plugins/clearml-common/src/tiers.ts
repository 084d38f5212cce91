/**
 * Size tiers: how much of the cluster one tenant gets. A tier sizes every
 * container of the charts (requests and limits), every claim, and the task
 * pods the agent starts; the tenant's ResourceQuota is computed from it, so
 * the quota always admits the chart's own pods (and a rolling update's extra
 * pod) with room for the tier's task pods. Platform teams set their own in
 * `clearml.tiers`; the defaults are below.
 */
import { Edition } from './editions';
import {
  bytesOf,
  cpuMillis,
  formatBytes,
  formatCpu,
  isQuantity,
} from './quantities';

/** @public */
export interface ResourceAmounts {
  cpu: string;
  memory: string;
}

/** @public */
export interface ContainerResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/**
 * The containers a tier sizes. `apiserver` also sizes the async-delete worker
 * (the chart gives both `apiserver.resources`); `serverInit` the init
 * containers of the four server Deployments.
 *
 * @public
 */
export const SIZED_CONTAINERS = [
  'apiserver',
  'fileserver',
  'webserver',
  'serverInit',
  'mongodb',
  'redis',
  'elasticsearch',
  'elasticsearchInit',
  'agent',
  'agentInit',
  'appGateway',
] as const;
/** @public */
export type SizedContainer = (typeof SIZED_CONTAINERS)[number];

/**
 * The claims a tier sizes.
 *
 * @public
 */
export const SIZED_CLAIMS = [
  'mongodb',
  'redis',
  'elasticsearch',
  'fileserver',
] as const;
/** @public */
export type SizedClaim = (typeof SIZED_CLAIMS)[number];

/** @public */
export interface SizeTier {
  name: string;
  title: string;
  description: string;
  containers: Record<SizedContainer, ContainerResources>;
  storage: Record<SizedClaim, string>;
  /** How many task pods the quota leaves room for, and each one's resources (also the LimitRange's default). */
  taskPods: ContainerResources & { count: number };
}

const size = (
  requestCpu: string,
  requestMemory: string,
  limitCpu: string,
  limitMemory: string,
): ContainerResources => ({
  requests: { cpu: requestCpu, memory: requestMemory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

const INIT = size('10m', '64Mi', '10m', '64Mi');

const SMALL: SizeTier = {
  name: 'small',
  title: 'Small',
  description:
    'A team trying ClearML: 2 task pods of 1 CPU / 2 GiB, 20 GiB for experiments and artifacts',
  containers: {
    apiserver: size('250m', '512Mi', '1', '1Gi'),
    fileserver: size('100m', '256Mi', '500m', '512Mi'),
    webserver: size('100m', '128Mi', '500m', '256Mi'),
    serverInit: INIT,
    mongodb: size('250m', '512Mi', '1', '1Gi'),
    redis: size('100m', '128Mi', '500m', '256Mi'),
    elasticsearch: size('500m', '2Gi', '1', '2Gi'),
    elasticsearchInit: INIT,
    agent: size('100m', '256Mi', '500m', '512Mi'),
    agentInit: INIT,
    appGateway: size('100m', '256Mi', '500m', '512Mi'),
  },
  storage: {
    mongodb: '20Gi',
    redis: '2Gi',
    elasticsearch: '20Gi',
    fileserver: '20Gi',
  },
  taskPods: { count: 2, ...size('1', '2Gi', '2', '4Gi') },
};

const MEDIUM: SizeTier = {
  name: 'medium',
  title: 'Medium',
  description:
    'A team training daily: 4 task pods of 2 CPU / 8 GiB, 100 GiB for artifacts',
  containers: {
    ...SMALL.containers,
    apiserver: size('500m', '1Gi', '2', '2Gi'),
    fileserver: size('250m', '512Mi', '1', '1Gi'),
    mongodb: size('500m', '1Gi', '2', '2Gi'),
    redis: size('100m', '256Mi', '500m', '512Mi'),
    elasticsearch: size('1', '4Gi', '2', '4Gi'),
  },
  storage: {
    mongodb: '50Gi',
    redis: '5Gi',
    elasticsearch: '50Gi',
    fileserver: '100Gi',
  },
  taskPods: { count: 4, ...size('2', '8Gi', '4', '8Gi') },
};

const LARGE: SizeTier = {
  name: 'large',
  title: 'Large',
  description:
    'A department: 8 task pods of 4 CPU / 16 GiB, 500 GiB for artifacts',
  containers: {
    ...MEDIUM.containers,
    apiserver: size('1', '2Gi', '4', '4Gi'),
    fileserver: size('500m', '1Gi', '2', '2Gi'),
    webserver: size('250m', '256Mi', '1', '512Mi'),
    mongodb: size('1', '4Gi', '4', '4Gi'),
    redis: size('250m', '512Mi', '1', '1Gi'),
    elasticsearch: size('2', '8Gi', '4', '8Gi'),
  },
  storage: {
    mongodb: '200Gi',
    redis: '10Gi',
    elasticsearch: '200Gi',
    fileserver: '500Gi',
  },
  taskPods: { count: 8, ...size('4', '16Gi', '8', '16Gi') },
};

/**
 * The tiers when `clearml.tiers` is not configured; the first is the default.
 *
 * @public
 */
export const DEFAULT_TIERS: readonly SizeTier[] = [SMALL, MEDIUM, LARGE];

/**
 * The rule a tier name follows.
 *
 * @public
 */
export const TIER_NAME_RULE =
  'must be a DNS-1123 label (lower-case letters, digits and -, at most 63 characters)';

/** @public */
export function isTierName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 63 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads configured tiers (`clearml.tiers`, as plain data). A field a tier does
 * not set takes the value of the default tier of the same name, or of the
 * first default tier. Throws an Error naming the first bad key.
 *
 * @public
 */
export function resolveTiers(
  configured: unknown,
  key = 'clearml.tiers',
): SizeTier[] {
  if (configured === undefined || configured === null)
    return DEFAULT_TIERS.map(t => structuredClone(t));
  if (!Array.isArray(configured) || configured.length === 0)
    throw new Error(`${key}: must be a non-empty list of tiers`);
  const seen = new Set<string>();
  return configured.map((entry, i) => {
    const at = `${key}[${i}]`;
    if (!isObject(entry)) throw new Error(`${at}: must be an object`);
    if (!isTierName(entry.name))
      throw new Error(`${at}.name: ${TIER_NAME_RULE}`);
    if (seen.has(entry.name))
      throw new Error(`${at}.name: '${entry.name}' is listed twice`);
    seen.add(entry.name);
    const base = structuredClone(
      DEFAULT_TIERS.find(t => t.name === entry.name) ?? DEFAULT_TIERS[0],
    );
    const tier: SizeTier = {
      ...base,
      name: entry.name,
      title: typeof entry.title === 'string' ? entry.title : entry.name,
      description:
        typeof entry.description === 'string'
          ? entry.description
          : base.description,
    };
    const amounts = (
      value: unknown,
      path: string,
      fallback: ResourceAmounts,
    ): ResourceAmounts => {
      if (value === undefined) return fallback;
      if (!isObject(value)) throw new Error(`${path}: must be an object`);
      const out = { ...fallback };
      for (const field of ['cpu', 'memory'] as const) {
        if (value[field] === undefined) continue;
        if (!isQuantity(value[field]))
          throw new Error(
            `${path}.${field}: must be a Kubernetes quantity such as 500m, 2 or 4Gi`,
          );
        out[field] = String(value[field]);
      }
      return out;
    };
    const resources = (
      value: unknown,
      path: string,
      fallback: ContainerResources,
    ): ContainerResources => {
      if (value === undefined) return fallback;
      if (!isObject(value)) throw new Error(`${path}: must be an object`);
      const out = {
        requests: amounts(
          value.requests,
          `${path}.requests`,
          fallback.requests,
        ),
        limits: amounts(value.limits, `${path}.limits`, fallback.limits),
      };
      for (const field of ['cpu', 'memory'] as const) {
        const read = field === 'cpu' ? cpuMillis : bytesOf;
        if (read(out.requests[field]) > read(out.limits[field]))
          throw new Error(
            `${path}.requests.${field}: must not exceed limits.${field}`,
          );
      }
      return out;
    };
    if (entry.containers !== undefined) {
      if (!isObject(entry.containers))
        throw new Error(`${at}.containers: must be an object`);
      for (const name of Object.keys(entry.containers)) {
        if (!(SIZED_CONTAINERS as readonly string[]).includes(name))
          throw new Error(
            `${at}.containers.${name}: unknown container; one of ${SIZED_CONTAINERS.join(', ')}`,
          );
        tier.containers[name as SizedContainer] = resources(
          entry.containers[name],
          `${at}.containers.${name}`,
          base.containers[name as SizedContainer],
        );
      }
    }
    if (entry.storage !== undefined) {
      if (!isObject(entry.storage))
        throw new Error(`${at}.storage: must be an object`);
      for (const [name, value] of Object.entries(entry.storage)) {
        if (!(SIZED_CLAIMS as readonly string[]).includes(name))
          throw new Error(
            `${at}.storage.${name}: unknown claim; one of ${SIZED_CLAIMS.join(', ')}`,
          );
        if (!isQuantity(value) || bytesOf(value) <= 0)
          throw new Error(`${at}.storage.${name}: must be a size such as 20Gi`);
        tier.storage[name as SizedClaim] = String(value);
      }
    }
    if (entry.taskPods !== undefined) {
      if (!isObject(entry.taskPods))
        throw new Error(`${at}.taskPods: must be an object`);
      const count = entry.taskPods.count ?? base.taskPods.count;
      if (!Number.isInteger(count) || (count as number) < 0)
        throw new Error(`${at}.taskPods.count: must be a whole number >= 0`);
      tier.taskPods = {
        count: count as number,
        ...resources(entry.taskPods, `${at}.taskPods`, base.taskPods),
      };
    }
    return tier;
  });
}

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
