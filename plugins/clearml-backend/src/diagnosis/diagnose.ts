/**
 * From the listed Kubernetes objects to one health report per component: a
 * pure function, so every failure signature (docs/openshift-and-clearml.md#health) is testable without a cluster.
 */
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import {
  ComponentHealth,
  ComponentId,
  HealthProblem,
  HealthStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { ComponentSpec } from '../target/components';
import { NamespaceObjects } from '../kubernetes/objects';
import { ownsPod } from './ownership';
import { claimProblems } from './claims';
import { initProgress, podProblems } from './pods';
import { componentRoute } from './routes';
import { TenantRelease, unsettledProblems } from './workloadEvents';
import {
  WorkloadState,
  deploymentState,
  statefulSetState,
} from './workloadState';

function isError(p: HealthProblem) {
  return p.severity === 'error';
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
  if (!settled)
    problems.push(
      ...unsettledProblems(spec, tenant, state, serviceAccount, objects.events),
    );

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
    const routed = componentRoute(spec, spec.service, objects, status);
    if (routed.report) health.route = routed.report;
    problems.push(...routed.problems);
    status = routed.status;
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
