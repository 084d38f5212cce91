/**
 * The Kubernetes objects a health check reads: one list per kind per
 * namespace. Routes are OpenShift's `route.openshift.io/v1`, which the
 * generated client does not type.
 */
import type {
  CoreV1Event,
  V1Deployment,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';

export interface RouteIngressCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface OpenShiftRoute {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    host?: string;
    path?: string;
    to: { kind?: string; name: string; weight?: number };
    port?: { targetPort: number | string };
    tls?: {
      termination?: string;
      insecureEdgeTerminationPolicy?: string;
      /** PEM of the Route's own certificate, when it carries one. */
      certificate?: string;
      /** A Secret holding the Route's certificate (OpenShift 4.16+). */
      externalCertificate?: { name: string };
    };
    wildcardPolicy?: 'None' | 'Subdomain';
  };
  status?: {
    ingress?: Array<{
      host?: string;
      routerName?: string;
      /** `router-default.<apps domain>` for the default IngressController: the domain its default certificate covers. */
      routerCanonicalHostname?: string;
      wildcardPolicy?: string;
      conditions?: RouteIngressCondition[];
    }>;
  };
}

/** Everything one namespace holds that the diagnosis looks at. */
export interface NamespaceObjects {
  namespace: string;
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  pods: V1Pod[];
  /** Warning events only. */
  events: CoreV1Event[];
  routes: OpenShiftRoute[];
  /** Set when Routes could not be listed (not OpenShift, or the token may not read them). */
  routesError?: string;
  /** The product's NetworkPolicies (as the API spells them) and ResourceQuotas in the namespace. */
  networkPolicies: any[];
  resourceQuotas: any[];
  /** Set when NetworkPolicies or ResourceQuotas could not be listed (the read token lacks list/watch). */
  isolationError?: string;
}

/*
 * The trimmed forms the shared view holds: what the diagnosis and the
 * lifecycle read, nothing else (no managedFields, env, volumes, resources,
 * pod IPs, Route keys). A field the diagnosis starts to read
 * must be kept here too.
 */

/** Pod annotations the diagnosis reads (the SCC that admitted the pod). */
const KEPT_POD_ANNOTATIONS = ['openshift.io/scc'];

function pick<T extends Record<string, any>>(
  from: T | undefined,
  keys: readonly string[],
): Partial<T> | undefined {
  if (!from) return undefined;
  const out: Record<string, any> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out as Partial<T>;
}

function trimMetadata(metadata: any, annotations: readonly string[] = []) {
  const kept = pick(metadata?.annotations, annotations);
  return {
    ...pick(metadata, [
      'name',
      'namespace',
      'labels',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'resourceVersion',
    ]),
    ...(kept && Object.keys(kept).length ? { annotations: kept } : {}),
    ...(metadata?.ownerReferences
      ? {
          ownerReferences: metadata.ownerReferences.map((o: any) =>
            pick(o, ['kind', 'name', 'controller']),
          ),
        }
      : {}),
  };
}

/** Only the Secret names env entries reference (never values): the isolation check tells the chart's default Secret. */
const trimEnv = (env: any[]) =>
  env
    .filter(e => e?.valueFrom?.secretKeyRef?.name)
    .map(e => ({
      name: e.name,
      valueFrom: { secretKeyRef: { name: e.valueFrom.secretKeyRef.name } },
    }));

const trimContainer = (c: any) => ({
  ...pick(c, ['name', 'image', 'securityContext']),
  ...(c.env?.some((e: any) => e?.valueFrom?.secretKeyRef)
    ? { env: trimEnv(c.env) }
    : {}),
});

function trimPodSpec(spec: any) {
  if (!spec) return undefined;
  return {
    ...pick(spec, ['serviceAccountName', 'serviceAccount', 'securityContext']),
    containers: (spec.containers ?? []).map(trimContainer),
    ...(spec.initContainers
      ? { initContainers: spec.initContainers.map(trimContainer) }
      : {}),
  };
}

const trimContainerStatus = (s: any) =>
  pick(s, [
    'name',
    'ready',
    'started',
    'restartCount',
    'image',
    'state',
    'lastState',
  ]);

export function trimPod(pod: any) {
  const status = pod.status ?? {};
  return {
    metadata: trimMetadata(pod.metadata, KEPT_POD_ANNOTATIONS),
    spec: trimPodSpec(pod.spec),
    status: {
      ...pick(status, ['phase', 'reason', 'message', 'conditions']),
      ...(status.containerStatuses
        ? {
            containerStatuses:
              status.containerStatuses.map(trimContainerStatus),
          }
        : {}),
      ...(status.initContainerStatuses
        ? {
            initContainerStatuses:
              status.initContainerStatuses.map(trimContainerStatus),
          }
        : {}),
    },
  };
}

/** Deployments and StatefulSets: desired replicas, the pod template's identity and security, and the status. */
export function trimWorkload(workload: any) {
  return {
    metadata: trimMetadata(workload.metadata),
    spec: {
      ...pick(workload.spec, ['replicas']),
      template: { spec: trimPodSpec(workload.spec?.template?.spec) },
    },
    status: workload.status,
  };
}

/** Routes without their TLS keys and CA certificates (the Route's own certificate is kept: the diagnosis reads it). */
export function trimRoute(route: any) {
  return {
    metadata: trimMetadata(route.metadata),
    spec: {
      ...pick(route.spec, ['host', 'path', 'to', 'port', 'wildcardPolicy']),
      ...(route.spec?.tls
        ? {
            // The certificate (public) tells whether the router's default one serves the host; keys are never held.
            tls: pick(route.spec.tls, [
              'termination',
              'insecureEdgeTerminationPolicy',
              'certificate',
              'externalCertificate',
            ]),
          }
        : {}),
    },
    status: route.status,
  };
}

/** An Application source's chart and version only (the chart versions read those; repository URLs stay out). */
function trimSources(holder: any) {
  const trim = (s: any) => pick(s ?? {}, ['chart', 'targetRevision']);
  return {
    ...(holder?.source ? { source: trim(holder.source) } : {}),
    ...(Array.isArray(holder?.sources)
      ? { sources: holder.sources.map(trim) }
      : {}),
  };
}

export function trimApplication(application: any) {
  const status = application.status ?? {};
  const last = Array.isArray(status.history)
    ? status.history[status.history.length - 1]
    : undefined;
  return {
    metadata: trimMetadata(application.metadata),
    spec: trimSources(application.spec),
    status: {
      ...(status.sync
        ? {
            sync: {
              ...pick(status.sync, ['status', 'revision', 'revisions']),
              ...(status.sync.comparedTo
                ? { comparedTo: trimSources(status.sync.comparedTo) }
                : {}),
            },
          }
        : {}),
      // Only the last deployment: what runs while the Application is out of sync.
      ...(last
        ? {
            history: [
              {
                ...pick(last, ['revision', 'revisions']),
                ...trimSources(last),
              },
            ],
          }
        : {}),
      ...(status.health
        ? { health: pick(status.health, ['status', 'message']) }
        : {}),
      ...(status.operationState
        ? {
            operationState: {
              ...pick(status.operationState, ['phase', 'message']),
              ...(status.operationState.syncResult
                ? {
                    syncResult: {
                      ...pick(status.operationState.syncResult, [
                        'revision',
                        'revisions',
                      ]),
                      ...trimSources(status.operationState.syncResult),
                    },
                  }
                : {}),
            },
          }
        : {}),
    },
  };
}

export function trimNamespace(namespace: any) {
  return { metadata: pick(namespace.metadata, ['name', 'labels']) };
}

/** NetworkPolicies and ResourceQuotas: their name, spec (compared with the rendered one) and status (quota use). */
export function trimIsolation(object: any) {
  return {
    metadata: pick(object.metadata, ['name', 'namespace', 'labels']),
    spec: object.spec,
    ...(object.status ? { status: object.status } : {}),
  };
}

/** An object whose Warning events a check reads (diagnosis/eventSources.ts picks them). */
export interface EventSource {
  namespace: string;
  kind: 'StatefulSet' | 'ReplicaSet' | 'Pod' | 'PersistentVolumeClaim';
  name: string;
}
