/** The health report the `clearml` backend serves and the entity card shows. */

export type HealthStatus = 'healthy' | 'progressing' | 'degraded' | 'down' | 'unknown';

/** Statuses from best to worst; a tenant's status is its worst component's. */
export const HEALTH_STATUS_ORDER: readonly HealthStatus[] = ['healthy', 'progressing', 'unknown', 'degraded', 'down'];

export function worstStatus(statuses: HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>(
    (worst, s) => (HEALTH_STATUS_ORDER.indexOf(s) > HEALTH_STATUS_ORDER.indexOf(worst) ? s : worst),
    'healthy',
  );
}

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

export type ComponentGroup = 'server' | 'dependency' | 'agent' | 'app-gateway';

export interface HealthProblem {
  severity: 'error' | 'warning';
  reason: string;
  message: string;
  hint?: string;
}

export interface ComponentHealth {
  id: ComponentId;
  group: ComponentGroup;
  status: HealthStatus;
  workload?: { kind: 'Deployment' | 'StatefulSet'; name: string; ready: number; desired: number };
  route?: {
    name: string;
    host: string;
    url: string;
    admitted: boolean | null;
    reason?: string;
    message?: string;
  };
  endpoint?: { url: string; ok: boolean; httpStatus?: number; latencyMs?: number; error?: string };
  problems: HealthProblem[];
}

export interface TenantHealth {
  entityRef: string;
  cluster: string;
  namespace: string;
  /** ISO time of the check. */
  checkedAt: string;
  status: HealthStatus;
  components: ComponentHealth[];
}
