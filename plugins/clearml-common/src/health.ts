import type { TenantChartVersion } from './charts';

/**
 * The health report the `clearml` backend serves and the entity card shows.
 *
 * @public
 */

export type HealthStatus =
  'healthy' | 'progressing' | 'degraded' | 'down' | 'unknown';

/**
 * Statuses from best to worst; a tenant's status is its worst component's.
 *
 * @public
 */
export const HEALTH_STATUS_ORDER: readonly HealthStatus[] = [
  'healthy',
  'progressing',
  'unknown',
  'degraded',
  'down',
];

/** @public */
export function worstStatus(statuses: HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>(
    (worst, s) =>
      HEALTH_STATUS_ORDER.indexOf(s) > HEALTH_STATUS_ORDER.indexOf(worst)
        ? s
        : worst,
    'healthy',
  );
}

/** @public */
export type ComponentId =
  | 'apiserver'
  | 'fileserver'
  | 'webserver'
  | 'asyncdelete'
  | 'mongodb'
  | 'redis'
  | 'elasticsearch'
  | 'agent'
  | 'app-gateway';

/** @public */
export type ComponentGroup = 'server' | 'dependency' | 'agent' | 'app-gateway';

/** @public */
export interface HealthProblem {
  severity: 'error' | 'warning';
  reason: string;
  message: string;
  hint?: string;
}

/** @public */
export interface ComponentHealth {
  id: ComponentId;
  group: ComponentGroup;
  status: HealthStatus;
  workload?: {
    kind: 'Deployment' | 'StatefulSet';
    name: string;
    ready: number;
    desired: number;
  };
  route?: {
    name: string;
    host: string;
    url: string;
    admitted: boolean | null;
    reason?: string;
    message?: string;
  };
  endpoint?: {
    url: string;
    ok: boolean;
    httpStatus?: number;
    latencyMs?: number;
    error?: string;
  };
  problems: HealthProblem[];
}

/**
 * The steps from the request to a running tenant, in order; the day-2 stages follow only once their pull request
 * exists: `change` (change pending review → applying → changed), `upgrade` (upgrade pending review → upgrading →
 * upgraded), `retire` (retiring → retired).
 *
 * @public
 */
export const LIFECYCLE_STAGES = [
  'request',
  'pullRequest',
  'sync',
  'rollout',
  'change',
  'upgrade',
  'retire',
] as const;
/** @public */
export type LifecycleStageId = (typeof LIFECYCLE_STAGES)[number];

/**
 * `done`: passed; `active`: under way (a PR in review, a sync running, pods starting); `failed`: stuck and needs
 * someone (PR closed unmerged, Application degraded, components down); `pending`: not reached yet;
 * `unknown`: could not be read (then `unavailable` says why).
 *
 * @public
 */
export type LifecycleStageState =
  'done' | 'active' | 'failed' | 'pending' | 'unknown';

/** @public */
export interface LifecycleStage {
  id: LifecycleStageId;
  state: LifecycleStageState;
  /** One line for the card: "Pull request #12 waiting for review", "Synced, Healthy". */
  summary: string;
  /** Where to look: the pull request, the Argo CD Application. */
  url?: string;
  /** Why this stage's data could not be read (the card shows it instead of guessing). */
  unavailable?: string;
  /**
   * When the stage reached its state (ISO 8601), where its source says: a merged pull request's merge time (GitHub
   * `merged_at`, GitLab `merged_at`). Argo CD's `status.reconciledAt` before it means the merge is not applied yet.
   */
  since?: string;
}

/** @public */
export interface TenantLifecycle {
  /** The first stage that is not done (the last one when all are). */
  current: LifecycleStageId;
  stages: LifecycleStage[];
}

/**
 * The tenant's isolation on the cluster: its NetworkPolicies against what the
 * pull request renders, its quota use, and whether its server still runs on
 * the chart's public default credentials.
 *
 * @public
 */
export interface TenantIsolation {
  networkPolicies: {
    /** Names the pull request renders for this tenant. */
    expected: string[];
    /** Of those, the ones on the cluster with the rendered spec. */
    matching: string[];
    missing: string[];
    /** On the cluster under a rendered name, with another spec. */
    changed: string[];
  };
  /** The tenant's ResourceQuota (used/hard of CPU, memory, pods, storage), when there is one. */
  quota?: {
    name: string;
    resources: Array<{
      key: string;
      label: string;
      used?: string;
      hard?: string;
    }>;
  };
  /** What the API server's token-signing secret comes from: the tenant's own Secret, or the chart's default `clearml-conf`. */
  credentials: 'tenant' | 'chart-default' | 'unknown';
  /** The Secret the API server's credentials reference, when known. */
  credentialsSecret?: string;
  problems: HealthProblem[];
  /** Why the isolation could not be read (the read token lacks list/watch of NetworkPolicies or ResourceQuotas). */
  unavailable?: string;
}

/** @public */
export interface TenantHealth {
  entityRef: string;
  /**
   * Set when the report shows the cluster's last known state because the cluster cannot be heard from right now
   * (a refused or dropped watch, 429/503): how old it is and why (within `clearml.health.staleSeconds`; past it the
   * tenant is `unknown`).
   */
  stale?: HealthStaleness;
  cluster: string;
  namespace: string;
  /** ISO time of the check. */
  checkedAt: string;
  status: HealthStatus;
  /** Why the status is what it is when the lifecycle decides it ("waiting for review"). */
  statusReason?: string;
  components: ComponentHealth[];
  /** From request to running; absent when the backend reads no lifecycle. */
  lifecycle?: TenantLifecycle;
  /** NetworkPolicies, quota and credentials; absent when the cluster could not be read. */
  isolation?: TenantIsolation;
  /** The charts its Argo CD Applications deploy, against the configured versions; absent when they could not be read. */
  charts?: TenantChartVersion[];
}

/**
 * The last known state of a cluster, served while it cannot be heard from.
 *
 * @public
 */
export interface HealthStaleness {
  /** ISO time the backend last heard from the cluster: the state shown is the cluster's as of then. */
  asOf: string;
  ageSeconds: number;
  /** What happened ("cluster 'x' answered 503 ServiceUnavailable to the watch of pods; retrying in 5s"). */
  reason: string;
}

/**
 * One tenant on the fleet page (`GET /api/clearml/v1/tenants`).
 *
 * @public
 */
export interface FleetTenant {
  entityRef: string;
  /** The entity's title or name. */
  title: string;
  owner?: string;
  cluster?: string;
  namespace?: string;
  edition?: string;
  status: HealthStatus;
  statusReason?: string;
  /** The lifecycle stage the tenant is in, and its one-line summary. */
  stage?: LifecycleStageId;
  stageSummary?: string;
  checkedAt?: string;
  /** `isolated`: every rendered NetworkPolicy present and unchanged, a quota, its own credentials; else what is missing. */
  isolation?: {
    state: 'isolated' | 'partial' | 'none' | 'unknown';
    summary: string;
  };
  /** Set when the status is the cluster's last known state (see TenantHealth.stale). */
  stale?: HealthStaleness;
  /** Its charts' deployed and configured versions (see TenantHealth.charts). */
  charts?: TenantChartVersion[];
  /** Why the tenant could not be checked (bad annotations, a namespace that is not the tenant's, an unknown cluster). */
  error?: string;
}

/** @public */
export interface FleetResponse {
  items: FleetTenant[];
}
