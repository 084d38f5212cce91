/**
 * What a workload that is short of what it wants says about why: its failure
 * conditions and the newest Warning event per reason, an admission refusal
 * turned into the grant that fixes it (sccRefusal.ts, hints.ts).
 */
import type { CoreV1Event, V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  Edition,
  HealthProblem,
} from '@clearml-openshift/plugin-clearml-common';
import { ComponentSpec } from '../target/components';
import { privilegedInitHint, refusedAccountHint } from './hints';
import { eventConcerns, eventTime } from './ownership';
import { parseSccRefusal, summariseRefusal } from './sccRefusal';
import { WorkloadState } from './workloadState';

/** What the grant computation needs to know of the tenant. */
export interface TenantRelease {
  edition: Edition;
  release: string;
}

/** Turns an admission refusal (from an event or a ReplicaFailure condition) into a problem that names the fix. */
function refusalProblem(
  spec: ComponentSpec,
  tenant: TenantRelease,
  serviceAccount: string,
  template: V1PodTemplateSpec | undefined,
  source: string,
  message: string,
): HealthProblem | undefined {
  const refusal = parseSccRefusal(message, template?.spec);
  if (!refusal) return undefined;
  const what =
    `${spec.workload.kind} ${spec.workload.name} cannot create pod ${refusal.podName ?? ''}`.replace(
      / $/,
      '',
    );
  if (refusal.privilegedContainers.length) {
    return {
      severity: 'error',
      reason: 'PrivilegedInitContainerRefused',
      message: `${what}: ${refusal.privilegedContainers.join(', ')} asks for privileged mode (${source}: ${summariseRefusal(refusal)})`,
      hint: privilegedInitHint(
        refusal.privilegedContainers,
        serviceAccount,
        spec.namespace,
      ),
    };
  }
  return {
    severity: 'error',
    reason: 'SCCForbidden',
    message: `${what}: no security context constraint usable by ServiceAccount ${serviceAccount} admits it (${source}: ${summariseRefusal(refusal)})`,
    hint: refusedAccountHint(
      tenant.edition,
      tenant.release,
      spec.namespace,
      serviceAccount,
      refusal.refusedUids,
    ),
  };
}

const EVENT_REASONS = new Set([
  'FailedCreate',
  'FailedScheduling',
  'FailedMount',
  'FailedAttachVolume',
]);

/** The newest warning per reason, so a refusal repeated every few seconds is one problem. */
function latestEvents(events: CoreV1Event[]): CoreV1Event[] {
  const byReason = new Map<string, CoreV1Event>();
  for (const e of events) {
    if (e.type !== 'Warning' || !e.reason || !EVENT_REASONS.has(e.reason))
      continue;
    const seen = byReason.get(e.reason);
    if (!seen || eventTime(e) > eventTime(seen)) byReason.set(e.reason, e);
  }
  return [...byReason.values()];
}

/** The problems of a workload that has not settled (the events are its namespace's; those of others are skipped). */
export function unsettledProblems(
  spec: ComponentSpec,
  tenant: TenantRelease,
  state: WorkloadState,
  serviceAccount: string,
  events: CoreV1Event[],
): HealthProblem[] {
  const { kind, name } = spec.workload;
  const problems: HealthProblem[] = [];
  for (const failure of state.failures) {
    problems.push(
      refusalProblem(
        spec,
        tenant,
        serviceAccount,
        state.template,
        `${kind} condition ${failure.reason}`,
        failure.message,
      ) ?? {
        severity: 'error',
        reason: failure.reason,
        message: `${kind} ${name}: ${failure.message}`,
      },
    );
  }
  for (const event of latestEvents(
    events.filter(e => eventConcerns(kind, name, e)),
  )) {
    const source = `${event.involvedObject.kind} event ${event.reason}`;
    const refusal = refusalProblem(
      spec,
      tenant,
      serviceAccount,
      state.template,
      source,
      event.message ?? '',
    );
    if (refusal) {
      if (!problems.some(p => p.reason === refusal.reason))
        problems.push(refusal);
      continue;
    }
    if (
      event.reason === 'FailedCreate' &&
      problems.some(p => p.reason === 'FailedCreate')
    )
      continue;
    problems.push({
      severity: event.reason === 'FailedCreate' ? 'error' : 'warning',
      reason: event.reason!,
      message:
        `${event.involvedObject.kind} ${event.involvedObject.name}: ${event.message ?? ''}`.trim(),
    });
  }
  return problems;
}
