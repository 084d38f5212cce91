/**
 * Size tiers: how much of the cluster one tenant gets. A tier sizes every
 * container of the charts (requests and limits), every claim, and the task
 * pods the agent starts; the tenant's ResourceQuota is computed from it, so
 * the quota always admits the chart's own pods (and a rolling update's extra
 * pod) with room for the tier's task pods. Platform teams set their own in
 * `clearml.tiers` (read by tierConfig.ts); the defaults are below, and what
 * a tier means for a tenant's pods and quota is tenantQuota.ts.
 */

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
