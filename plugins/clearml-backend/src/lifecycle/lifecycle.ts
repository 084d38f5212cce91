/**
 * From request to running: the stages of a tenant and what they mean for its
 * status. A tenant whose pull request is not merged yet is `progressing`
 * ("waiting for review"), never `down`, and so is one whose merged change
 * Argo CD is still applying: workloads that are not there yet are expected.
 * A running tenant with a change or upgrade in review is still running: only
 * its day-2 stage says so; once merged, while Argo CD applies it, workloads
 * that are not there yet are expected too.
 */
import {
  ComponentHealth,
  HealthStatus,
  LifecycleStage,
  TenantLifecycle,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import type { Day2Stage } from './day2';

const NOT_DEPLOYED = 'WorkloadNotFound';

function rolloutStage(
  status: HealthStatus,
  components: ComponentHealth[],
): LifecycleStage {
  const down = components
    .filter(c => c.status === 'down' || c.status === 'degraded')
    .map(c => c.id);
  switch (status) {
    case 'healthy':
      return { id: 'rollout', state: 'done', summary: 'All components ready' };
    case 'progressing':
      return { id: 'rollout', state: 'active', summary: 'Components starting' };
    case 'unknown':
      return {
        id: 'rollout',
        state: 'unknown',
        summary: 'Rollout unknown',
        unavailable:
          components
            .flatMap(c => c.problems)
            .find(p => p.reason.startsWith('Cluster'))?.message ??
          'The cluster could not be read',
      };
    default:
      return {
        id: 'rollout',
        state: 'failed',
        summary: `Not running: ${down.join(', ')}`,
      };
  }
}

/**
 * A workload whose absence is expected and said so (`note` follows the problem's message): not there yet while the
 * change that creates it is in review or being synced, or deleted by Argo CD while the tenant is retired.
 */
function expectedAbsence(c: ComponentHealth, note: string): ComponentHealth {
  if (!c.problems.some(p => p.reason === NOT_DEPLOYED)) return c;
  return {
    ...c,
    status: 'progressing',
    problems: c.problems.map(p =>
      p.reason === NOT_DEPLOYED
        ? {
            ...p,
            severity: 'warning' as const,
            message: `${p.message} ${note}`,
          }
        : p,
    ),
  };
}

export interface LifecycleResult {
  lifecycle: TenantLifecycle;
  status: HealthStatus;
  statusReason?: string;
  components: ComponentHealth[];
}

/** The tenant's day-2 stages that exist: a change, an upgrade, a retire pull request open or merged. */
export interface Day2Stages {
  change?: Day2Stage;
  upgrade?: Day2Stage;
  retire?: LifecycleStage;
}

export function tenantLifecycle(
  pullRequest: LifecycleStage,
  sync: LifecycleStage,
  checked: ComponentHealth[],
  day2: Day2Stages = {},
): LifecycleResult {
  if (day2.retire)
    return retiringLifecycle(pullRequest, sync, checked, day2.retire);
  const later = [day2.change, day2.upgrade].filter((d): d is Day2Stage => !!d);
  const applying = later.find(d => d.applying);
  if (applying) return applyingLifecycle(pullRequest, sync, checked, later);
  let components = checked;
  const request: LifecycleStage = {
    id: 'request',
    state: 'done',
    summary: 'Requested in Backstage',
  };
  let status = worstStatus(components.map(c => c.status));
  let statusReason: string | undefined;
  let rollout = rolloutStage(status, components);
  const inReview = pullRequest.state === 'active';
  const syncing =
    pullRequest.state === 'done' &&
    (sync.state === 'active' || sync.state === 'pending');
  if (inReview || syncing) {
    const why = inReview ? 'waiting for review' : 'Argo CD is syncing';
    components = components.map(c => expectedAbsence(c, `yet (${why})`));
    if (status !== 'unknown') {
      status = inReview
        ? 'progressing'
        : worstStatus(components.map(c => c.status));
      statusReason = inReview
        ? `Waiting for review: ${pullRequest.summary}`
        : `Syncing: ${sync.summary}`;
    }
    if (rollout.state !== 'unknown' && rollout.state !== 'done')
      rollout = {
        id: 'rollout',
        state: 'pending',
        summary: `Waits for the ${inReview ? 'merge' : 'sync'}`,
      };
  }
  const stages = [
    request,
    pullRequest,
    sync,
    rollout,
    ...later.map(d => d.stage),
  ];
  return {
    lifecycle: { current: currentStage(stages), stages },
    status,
    ...(statusReason ? { statusReason } : {}),
    components,
  };
}

/**
 * A tenant with a retire pull request: the retire stage is where it is (retiring, then retired), its status
 * `progressing` with the retire summary as the reason, and workloads that are gone are expected.
 */
function retiringLifecycle(
  pullRequest: LifecycleStage,
  sync: LifecycleStage,
  checked: ComponentHealth[],
  retire: LifecycleStage,
): LifecycleResult {
  const components = checked.map(c =>
    expectedAbsence(c, '(the tenant is being retired)'),
  );
  const status = worstStatus(components.map(c => c.status));
  const request: LifecycleStage = {
    id: 'request',
    state: 'done',
    summary: 'Requested in Backstage',
  };
  // Once retired, the sync and rollout stages say what Argo CD did rather than what is missing.
  const retired = retire.state === 'done';
  const syncStage: LifecycleStage = retired
    ? { id: 'sync', state: 'done', summary: 'Argo CD deleted the Applications' }
    : sync;
  const rollout: LifecycleStage = retired
    ? {
        id: 'rollout',
        state: 'done',
        summary: 'Nothing runs: the tenant is retired',
      }
    : rolloutStage(status, components);
  return {
    lifecycle: {
      current: 'retire',
      stages: [request, pullRequest, syncStage, rollout, retire],
    },
    status: status === 'unknown' ? status : 'progressing',
    statusReason: retire.summary,
    components,
  };
}

/**
 * A tenant whose merged change or upgrade Argo CD is applying: that stage is where it is; workloads the change adds
 * (the agent turned on) are expected to be missing until Argo CD creates them, and a status short of healthy says why.
 */
function applyingLifecycle(
  pullRequest: LifecycleStage,
  sync: LifecycleStage,
  checked: ComponentHealth[],
  later: Day2Stage[],
): LifecycleResult {
  const applying = later.find(d => d.applying)!.stage;
  const what = applying.id === 'upgrade' ? 'the upgrade' : 'the change';
  const components = checked.map(c =>
    expectedAbsence(c, `yet (Argo CD is applying ${what})`),
  );
  const status = worstStatus(components.map(c => c.status));
  const request: LifecycleStage = {
    id: 'request',
    state: 'done',
    summary: 'Requested in Backstage',
  };
  return {
    lifecycle: {
      current: applying.id,
      stages: [
        request,
        pullRequest,
        sync,
        rolloutStage(status, components),
        ...later.map(d => d.stage),
      ],
    },
    status,
    ...(status !== 'healthy' && status !== 'unknown'
      ? { statusReason: applying.summary }
      : {}),
    components,
  };
}

/**
 * Where the tenant is: the first stage under way or stuck (a change in review on a running tenant: the change);
 * else the rollout when it is done (a running tenant whose earlier stages could not be read is running, one whose
 * change is done too); else the first stage not reached yet.
 */
function currentStage(stages: LifecycleStage[]): LifecycleStage['id'] {
  const byState = (...states: LifecycleStage['state'][]) =>
    stages.find(s => states.includes(s.state));
  // Day-2 stages follow the rollout; one that is done is history, and the tenant is where its rollout is.
  const rollout = stages.find(s => s.id === 'rollout')!;
  return (
    byState('active', 'failed') ??
    (rollout.state === 'done' ? rollout : undefined) ??
    byState('pending', 'unknown') ??
    rollout
  ).id;
}
