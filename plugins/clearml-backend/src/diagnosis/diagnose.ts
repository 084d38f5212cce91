/**
 * From the listed Kubernetes objects to one health report per component: a
 * pure function, so every failure signature (docs/openshift-and-clearml.md#health) is testable without a cluster.
 */
import type {
  CoreV1Event,
  V1Deployment,
  V1PodTemplateSpec,
  V1StatefulSet,
} from '@kubernetes/client-node';
import {
  ComponentHealth,
  ComponentId,
  Edition,
  HealthProblem,
  HealthStatus,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { ComponentSpec } from '../target/components';
import { NamespaceObjects } from '../kubernetes/objects';
import { privilegedInitHint, refusedAccountHint } from './hints';
import { eventConcerns, eventTime, ownsPod } from './ownership';
import { claimProblems } from './claims';
import { initProgress, podProblems } from './pods';
import { describeRoute, routeForService } from './routes';
import { parseSccRefusal, summariseRefusal } from './sccRefusal';

/** What the grant computation needs to know of the tenant. */
export interface TenantRelease {
  edition: Edition;
  release: string;
}

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

function isError(p: HealthProblem) {
  return p.severity === 'error';
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

function statusFrom(
  state: WorkloadState,
  problems: HealthProblem[],
): HealthStatus {
  if (state.desired === 0) return 'down';
  // An error with some pods serving degrades the component; with none serving, it is down.
  if (problems.some(isError)) return state.ready > 0 ? 'degraded' : 'down';
  return state.ready >= state.desired && state.rolledOut
    ? 'healthy'
    : 'progressing';
}

function diagnoseComponent(
  spec: ComponentSpec,
  tenant: TenantRelease,
  objects: NamespaceObjects,
  done: Map<ComponentId, ComponentHealth>,
): ComponentHealth | undefined {
  const { kind, name } = spec.workload;
  const found =
    kind === 'Deployment'
      ? objects.deployments.find(d => d.metadata?.name === name)
      : objects.statefulSets.find(s => s.metadata?.name === name);
  if (!found) {
    if (spec.optional) return undefined;
    return {
      id: spec.id,
      group: spec.group,
      status: 'down',
      problems: [
        {
          severity: 'error',
          reason: 'WorkloadNotFound',
          message: `${kind} ${name} not found in namespace ${spec.namespace}`,
          hint: `Check that the release is installed in ${spec.namespace} (helm list -n ${spec.namespace}) and that the entity's clear.ml/release and clear.ml/edition annotations match it.`,
        },
      ],
    };
  }
  const state =
    kind === 'Deployment'
      ? deploymentState(found as V1Deployment)
      : statefulSetState(found as V1StatefulSet);
  const serviceAccount =
    state.template?.spec?.serviceAccountName ??
    state.template?.spec?.serviceAccount ??
    'default';
  const problems: HealthProblem[] = [];
  const settled = state.ready >= state.desired && state.rolledOut;

  // Admission refusals and other warnings only matter while the workload is short of what it wants:
  // an old FailedCreate from before a grant was applied is history.
  if (!settled) {
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
      objects.events.filter(e => eventConcerns(kind, name, e)),
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
  }

  const pods = objects.pods.filter(p => ownsPod(kind, name, p));
  const podContext = {
    namespace: spec.namespace,
    serviceAccount,
    edition: tenant.edition,
    release: tenant.release,
    needsGrant: tenant.edition === 'oss' && spec.group === 'server',
  };
  // A claim that does not bind says so on the claim; its pod only waits.
  problems.push(...claimProblems(pods, objects.events, spec.namespace));
  for (const pod of pods) {
    problems.push(
      ...podProblems(pod, {
        ...podContext,
        events: objects.events.filter(
          e =>
            e.involvedObject?.kind === 'Pod' &&
            e.involvedObject.name === pod.metadata?.name,
        ),
      }),
    );
    const init = initProgress(pod);
    if (init && !problems.some(isError) && spec.dependsOn.length) {
      const blocking = spec.dependsOn.filter(
        dep => done.get(dep) && done.get(dep)!.status !== 'healthy',
      );
      problems.push({
        severity: 'warning',
        reason: 'WaitingForDependency',
        message: `pod ${pod.metadata?.name} is in ${init}, waiting on ${spec.dependsOn.join(', ')}`,
        ...(blocking.length
          ? {
              hint: `Fix ${blocking.map(dep => `${dep} (${done.get(dep)!.status})`).join(', ')} first: ${spec.id} starts once it answers.`,
            }
          : {}),
      });
    }
  }
  if (state.desired === 0) {
    problems.push({
      severity: 'warning',
      reason: 'ScaledToZero',
      message: `${kind} ${name} is scaled to 0 replicas`,
      hint: `Scale it up: oc scale -n ${spec.namespace} ${kind.toLowerCase()}/${name} --replicas=1`,
    });
  }

  let status = statusFrom(state, problems);
  const health: ComponentHealth = {
    id: spec.id,
    group: spec.group,
    status,
    workload: { kind, name, ready: state.ready, desired: state.desired },
    problems,
  };

  if (spec.service) {
    const route = objects.routesError
      ? undefined
      : routeForService(objects.routes, spec.service);
    if (route) {
      const described = describeRoute(route);
      health.route = described.report;
      problems.push(...described.problems);
      if (described.report.admitted === false)
        status = worstStatus([status, 'degraded']);
      const targetPort = route.spec.port?.targetPort;
      if (
        spec.targetPort &&
        typeof targetPort === 'number' &&
        targetPort !== spec.targetPort
      ) {
        problems.push({
          severity: 'error',
          reason: 'RouteTargetPortMismatch',
          message: `Route ${route.metadata.name} sends traffic to port ${targetPort}, but ${spec.id} listens on ${spec.targetPort}`,
          hint: `Set spec.port.targetPort: ${spec.targetPort} (a Route's targetPort names the pod's port, not the Service's; a wrong one gives 503).`,
        });
        status = worstStatus([status, 'degraded']);
      }
      if (described.report.admitted === null)
        status = worstStatus([status, 'progressing']);
    } else if (objects.routesError) {
      problems.push({
        severity: 'warning',
        reason: 'RoutesUnreadable',
        message: objects.routesError,
      });
    } else {
      problems.push({
        severity: 'error',
        reason: 'RouteNotFound',
        message: `no Route in ${spec.namespace} sends traffic to Service ${spec.service}`,
        hint: "Apply the tenant's routes.yaml (from its GitOps pull request), or the chart's Ingresses in ingress mode.",
      });
      status = worstStatus([status, 'degraded']);
    }
  }
  health.status = status;
  return health;
}

/** The order in which dependencies are diagnosed before what waits on them. */
function dependencyOrder(specs: ComponentSpec[]): ComponentSpec[] {
  const ordered: ComponentSpec[] = [];
  const visit = (spec: ComponentSpec, path: Set<ComponentId>) => {
    if (ordered.includes(spec) || path.has(spec.id)) return;
    path.add(spec.id);
    for (const dep of spec.dependsOn) {
      const depSpec = specs.find(s => s.id === dep);
      if (depSpec) visit(depSpec, path);
    }
    ordered.push(spec);
  };
  specs.forEach(s => visit(s, new Set()));
  return ordered;
}

export function diagnoseComponents(
  specs: ComponentSpec[],
  tenant: TenantRelease,
  objects: Map<string, NamespaceObjects>,
): ComponentHealth[] {
  const done = new Map<ComponentId, ComponentHealth>();
  for (const spec of dependencyOrder(specs)) {
    const health = diagnoseComponent(
      spec,
      tenant,
      objects.get(spec.namespace)!,
      done,
    );
    if (health) done.set(spec.id, health);
  }
  return specs
    .map(s => done.get(s.id))
    .filter((h): h is ComponentHealth => Boolean(h));
}

/** Every component `unknown` with the same problem: what to report when the cluster cannot be read. */
export function unknownComponents(
  specs: ComponentSpec[],
  problem: HealthProblem,
): ComponentHealth[] {
  return specs
    .filter(s => !s.optional)
    .map(s => ({
      id: s.id,
      group: s.group,
      status: 'unknown' as const,
      problems: [problem],
    }));
}
