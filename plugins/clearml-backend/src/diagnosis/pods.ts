/**
 * Problems read from a workload's pods: waiting reasons of its containers,
 * init containers waiting on a dependency, and pods no node will take.
 */
import type {
  CoreV1Event,
  V1ContainerStatus,
  V1Pod,
} from '@kubernetes/client-node';
import {
  AGENT_SECRET_KEYS,
  Edition,
  HealthProblem,
  serverNames,
  TENANT_CREDENTIALS_SECRET,
} from '@clearml-openshift/plugin-clearml-common';
import { noStorageClassHint, podClaims } from './claims';
import { refusedAccountHint, runAsRootHint } from './hints';
import { imagePullCause, imagePullHint } from './imagePull';

/** The context a pod problem's hint needs. */
export interface PodContext {
  edition: Edition;
  release: string;
  namespace: string;
  serviceAccount: string;
  /** Whether this component's image needs more than restricted-v2 (the open-source server runs as root). */
  needsGrant: boolean;
  /** The pod's Warning events (the kubelet's "Failed to pull image" says why a back-off started). */
  events?: readonly CoreV1Event[];
}

export const ADMITTED_BY_SCC_ANNOTATION = 'openshift.io/scc';

const IMAGE_PULL = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

const PULL_CAUSES = {
  gone: 'the image or tag does not exist',
  rateLimited: 'rate-limited by the registry',
  unauthorized: 'the registry wants credentials',
} as const;

function lastTermination(status: V1ContainerStatus): string {
  const t = status.lastState?.terminated;
  if (!t) return '';
  const parts = [
    `exit code ${t.exitCode}`,
    t.reason,
    t.message?.trim().split('\n').slice(-3).join(' / '),
  ];
  return ` (last run: ${parts.filter(Boolean).join(', ')})`;
}

/** The k8s glue agent's container in the clearml-agent chart (templates/agentk8sglue-deployment.yaml). */
export const AGENT_CONTAINER = 'k8s-glue';

const LOGIN_REFUSED =
  /LoginError|failed to locate provided credentials|\b401\b/;

/**
 * The agent that cannot log in. Its log says `LoginError ... 401 ... failed to
 * locate provided credentials`; the card sees that text only when the
 * container's termination message carries it (the read credential may not read
 * pod logs), otherwise only the restarts, so the hint names the likely cause
 * and the command that shows the log.
 */
function agentLoginHint(pod: V1Pod, ctx: PodContext, seen: boolean): string {
  const apiserver = `${serverNames(ctx.edition, ctx.release).fullname}-apiserver`;
  const cause = seen
    ? "The server refuses the agent's credential (401)"
    : 'The agent exits at start; the usual cause is the server refusing its credential (LoginError 401 "failed to locate provided credentials")';
  const log = seen
    ? ''
    : ` See its log: oc logs -n ${ctx.namespace} ${pod.metadata?.name} -c ${AGENT_CONTAINER} --previous`;
  return (
    `${cause}: the agent reads ${AGENT_SECRET_KEYS.accessKey}/${AGENT_SECRET_KEYS.secretKey} of Secret ${TENANT_CREDENTIALS_SECRET}, ` +
    'which the apiserver loads only when it starts. If the Secret was created or replaced after that, restart the apiserver: ' +
    `oc rollout restart deployment/${apiserver} -n ${ctx.namespace}.${log}`
  );
}

function crashHint(
  pod: V1Pod,
  status: V1ContainerStatus,
  ctx: PodContext,
): string {
  const log = status.lastState?.terminated?.message ?? '';
  if (status.name === AGENT_CONTAINER)
    return agentLoginHint(pod, ctx, LOGIN_REFUSED.test(log));
  const admittedBy = pod.metadata?.annotations?.[ADMITTED_BY_SCC_ANNOTATION];
  if (/vm\.max_map_count/.test(log)) {
    return (
      'Elasticsearch needs vm.max_map_count >= 262144: set it on the nodes (a Tuned profile or MachineConfig), ' +
      'or re-render with elasticsearchSysctlInit (privileged init container, needs a privileged grant).'
    );
  }
  if (
    /permission denied/i.test(log) ||
    (ctx.needsGrant && admittedBy?.startsWith('restricted'))
  ) {
    const grantHint = refusedAccountHint(
      ctx.edition,
      ctx.release,
      ctx.namespace,
      ctx.serviceAccount,
    );
    return `The pod was admitted by ${admittedBy ?? 'an SCC'} with a random UID, and the image cannot run that way. ${grantHint}`;
  }
  return `See why it exits: oc logs -n ${ctx.namespace} ${pod.metadata?.name} -c ${status.name} --previous`;
}

function configErrorHint(message: string, ctx: PodContext): string | undefined {
  if (/runAsNonRoot and image will run as root/.test(message)) {
    return runAsRootHint(
      ctx.edition,
      ctx.release,
      ctx.namespace,
      ctx.serviceAccount,
    );
  }
  const missing = /(secret|configmap) "([^"]+)" not found/i.exec(message);
  if (
    missing &&
    missing[1].toLowerCase() === 'secret' &&
    missing[2] === TENANT_CREDENTIALS_SECRET
  )
    return (
      `The tenant's credentials Secret ${TENANT_CREDENTIALS_SECRET} does not exist in ${ctx.namespace}. ` +
      `With clearml.credentials.delivery externalSecrets its ExternalSecret makes it: oc describe externalsecret ${TENANT_CREDENTIALS_SECRET} -n ${ctx.namespace} ` +
      'says why it is not Ready (the External Secrets Operator must be installed). With direct, run the template again: ' +
      'its clearml:credentials:create step creates it (it never overwrites one).'
    );
  if (missing)
    return `Create ${missing[1]} ${missing[2]} in ${ctx.namespace}, or fix the values that name it.`;
  return undefined;
}

function waitingProblem(
  pod: V1Pod,
  status: V1ContainerStatus,
  ctx: PodContext,
): HealthProblem | undefined {
  const waiting = status.state?.waiting;
  if (!waiting?.reason) return undefined;
  const podName = pod.metadata?.name;
  const where = `pod ${podName}, container ${status.name}`;
  if (waiting.reason === 'CrashLoopBackOff') {
    return {
      severity: 'error',
      reason: 'CrashLoopBackOff',
      message: `${where} keeps crashing (${status.restartCount} restarts)${lastTermination(status)}`,
      hint: crashHint(pod, status, ctx),
    };
  }
  if (IMAGE_PULL.has(waiting.reason)) {
    // ErrImagePull carries the runtime's error; ImagePullBackOff only "Back-off pulling image": its cause is in the kubelet's Failed event.
    const image = status.image ?? '';
    const pullFailure = [...(ctx.events ?? [])]
      .reverse()
      .find(
        e =>
          e.reason === 'Failed' &&
          (e.message ?? '').includes('Failed to pull image') &&
          (!image || (e.message ?? '').includes(image)),
      )?.message;
    const detail = [waiting.message, pullFailure].filter(Boolean).join(' ');
    const cause = imagePullCause(detail);
    return {
      severity: 'error',
      reason: waiting.reason,
      message: `${where} cannot pull image ${image}${cause ? ` (${PULL_CAUSES[cause]})` : ''}: ${pullFailure ?? waiting.message ?? waiting.reason}`,
      hint: imagePullHint(cause, image, ctx.namespace),
    };
  }
  if (waiting.reason === 'CreateContainerConfigError') {
    const message = waiting.message ?? '';
    return {
      severity: 'error',
      reason: 'CreateContainerConfigError',
      message: `${where} cannot start: ${message || waiting.reason}`,
      hint: configErrorHint(message, ctx),
    };
  }
  if (
    waiting.reason === 'CreateContainerError' ||
    waiting.reason === 'RunContainerError'
  ) {
    return {
      severity: 'error',
      reason: waiting.reason,
      message: `${where} cannot start: ${waiting.message ?? ''}`.trim(),
    };
  }
  return undefined;
}

/** `Init:i/n` when the pod is still running its init containers, as `oc get pods` shows it. */
export function initProgress(pod: V1Pod): string | undefined {
  const init = pod.spec?.initContainers ?? [];
  const statuses = pod.status?.initContainerStatuses ?? [];
  if (!init.length || pod.status?.phase !== 'Pending') return undefined;
  const done = statuses.filter(s => s.state?.terminated?.exitCode === 0).length;
  return done < init.length ? `Init:${done}/${init.length}` : undefined;
}

export function podProblems(pod: V1Pod, ctx: PodContext): HealthProblem[] {
  if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded')
    return [];
  const problems: HealthProblem[] = [];
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const status of statuses) {
    const problem = waitingProblem(pod, status, ctx);
    if (problem) problems.push(problem);
  }
  const unschedulable = pod.status?.conditions?.find(
    c =>
      c.type === 'PodScheduled' &&
      c.status === 'False' &&
      c.reason === 'Unschedulable',
  );
  if (unschedulable) {
    // The scheduler's VolumeBinding plugin: "pod has unbound immediate PersistentVolumeClaims".
    const unbound = /unbound immediate PersistentVolumeClaims/.test(
      unschedulable.message ?? '',
    );
    const claims = podClaims(pod);
    problems.push({
      severity: 'error',
      reason: 'Unschedulable',
      message:
        `pod ${pod.metadata?.name} cannot be scheduled: ${unschedulable.message ?? ''}`.trim(),
      hint: unbound
        ? `Its claims (${claims.join(', ') || 'see oc get pvc'}) are not bound (oc get pvc -n ${ctx.namespace}). ${noStorageClassHint(ctx.namespace, claims[0] ?? '<claim>')}`
        : "Free or add capacity, or lower the component's resource requests; check its PersistentVolumeClaims are bound.",
    });
  }
  return problems;
}
