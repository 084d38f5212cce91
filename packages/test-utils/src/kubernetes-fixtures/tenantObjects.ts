/**
 * Kubernetes objects of a ClearML tenant as a cluster returns them (wire
 * JSON), built from the naming rules, plus the failure signatures of
 * docs/openshift-and-clearml.md#health verbatim. Used by the backend's diagnosis tests, the
 * backend tests (loaded into the Kubernetes API double), its benchmark and the
 * local demo cluster, hence here beside the double rather than in one plugin.
 */
import {
  Edition,
  agentNames,
  appGatewayRouteHost,
  serverNames,
  tenantHosts,
  tenantOwnerLabels,
} from '@clearml-openshift/plugin-clearml-common';

// Wire-format objects: plain JSON, as the API server sends them.
export type KubeObject = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any>;
};

export interface FixtureTenant {
  /** The tenant its namespaces are labelled for (clear.ml/tenant); default: the namespace without `clearml-`. */
  tenant?: string;
  namespace: string;
  release: string;
  edition: Edition;
  domain: string;
  agent?: boolean;
  appGateway?: { namespace: string; release: string };
}

export const ACME: FixtureTenant = {
  namespace: 'clearml-acme',
  release: 'clearml',
  edition: 'oss',
  domain: 'acme.clearml.apps.ocp.example.com',
};

const T0 = '2025-01-01T00:00:00Z';

/** A stable pod-template-hash per workload (the real one is a hash of the template). */
function templateHash(name: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = 7;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  let out = '';
  for (let i = 0; i < 9; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) + (i + 1) * 7919;
  }
  return out;
}

interface WorkloadFixture {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  serviceAccount: string;
  containers: Array<Record<string, any>>;
  initContainers?: Array<Record<string, any>>;
  replicas?: number;
  /** The chart's labels on the workload, and on its pods (also its selector). */
  labels: Record<string, string>;
  podLabels: Record<string, string>;
}

/**
 * The labels the charts put on each workload and its pods, as `helm template` of clearml 7.14.4 and
 * clearml-agent 5.3.2 renders them (packages/test-utils/reference/clearml-charts/packaged). The enterprise charts are private:
 * their labels are assumed to follow the same Helm conventions (the app gateway's fullname is its release).
 */
function chartLabels(
  t: FixtureTenant,
  component: string,
  name: string,
): { labels: Record<string, string>; podLabels: Record<string, string> } {
  const instance = { 'app.kubernetes.io/instance': t.release };
  // The charts' `app.kubernetes.io/name` is their fullname (`clearml` for release `clearml`), not the chart name.
  const server = serverNames(t.edition, t.release).fullname;
  switch (component) {
    case 'apiserver':
    case 'fileserver':
    case 'webserver':
      return {
        labels: {
          'app.kubernetes.io/name': server,
          ...instance,
          'app.kubernetes.io/managed-by': 'Helm',
        },
        podLabels: {
          'app.kubernetes.io/name': server,
          'app.kubernetes.io/instance': name,
        },
      };
    case 'asyncdelete':
      return {
        labels: {
          'app.kubernetes.io/name': server,
          ...instance,
          'app.kubernetes.io/managed-by': 'Helm',
        },
        podLabels: { 'app.kubernetes.io/name': server, ...instance },
      };
    case 'mongodb':
      return {
        labels: {
          'app.kubernetes.io/name': 'mongodb',
          ...instance,
          'app.kubernetes.io/component': 'mongodb',
        },
        podLabels: {
          'app.kubernetes.io/name': 'mongodb',
          ...instance,
          'app.kubernetes.io/component': 'mongodb',
        },
      };
    case 'redis':
      return {
        labels: {
          'app.kubernetes.io/name': 'redis',
          ...instance,
          'app.kubernetes.io/component': 'master',
        },
        podLabels: {
          'app.kubernetes.io/name': 'redis',
          ...instance,
          'app.kubernetes.io/component': 'master',
        },
      };
    case 'elasticsearch':
      return {
        labels: {
          heritage: 'Helm',
          release: t.release,
          chart: 'elasticsearch',
          app: name,
        },
        podLabels: { release: t.release, chart: 'elasticsearch', app: name },
      };
    case 'agent': {
      const agent = {
        'app.kubernetes.io/name': agentNames(t.edition, t.release).deployment,
        'app.kubernetes.io/instance': agentNames(t.edition, t.release).release,
      };
      return { labels: agent, podLabels: agent };
    }
    default: {
      const gateway = {
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/instance': name,
      };
      return { labels: gateway, podLabels: gateway };
    }
  }
}

function readyPod(w: WorkloadFixture, ordinal: number): KubeObject {
  const hash = templateHash(w.name);
  const name =
    w.kind === 'Deployment'
      ? `${w.name}-${hash}-x7k2${ordinal}`
      : `${w.name}-${ordinal}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: w.namespace,
      labels: {
        ...w.podLabels,
        ...(w.kind === 'Deployment'
          ? { 'pod-template-hash': hash }
          : { 'statefulset.kubernetes.io/pod-name': name }),
      },
      annotations: { 'openshift.io/scc': 'anyuid' },
      ownerReferences: [
        w.kind === 'Deployment'
          ? {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${w.name}-${hash}`,
              uid: `uid-rs-${w.name}`,
              controller: true,
            }
          : {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              name: w.name,
              uid: `uid-sts-${w.name}`,
              controller: true,
            },
      ],
      creationTimestamp: T0,
    },
    spec: {
      serviceAccountName: w.serviceAccount,
      containers: w.containers,
      initContainers: w.initContainers,
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      initContainerStatuses: (w.initContainers ?? []).map(c => ({
        name: c.name,
        image: c.image,
        ready: true,
        restartCount: 0,
        state: { terminated: { exitCode: 0, reason: 'Completed' } },
      })),
      containerStatuses: w.containers.map(c => ({
        name: c.name,
        image: c.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: T0 } },
      })),
    },
  };
}

function workloadObject(w: WorkloadFixture): KubeObject {
  const replicas = w.replicas ?? 1;
  const template = {
    metadata: { labels: w.podLabels },
    spec: {
      serviceAccountName: w.serviceAccount,
      containers: w.containers,
      initContainers: w.initContainers,
    },
  };
  const common = {
    metadata: {
      name: w.name,
      namespace: w.namespace,
      generation: 1,
      labels: w.labels,
      creationTimestamp: T0,
    },
  };
  if (w.kind === 'Deployment') {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      ...common,
      spec: { replicas, selector: { matchLabels: w.podLabels }, template },
      status: {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${w.name}-${templateHash(w.name)}" has successfully progressed.`,
          },
        ],
      },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    ...common,
    spec: {
      replicas,
      serviceName: w.name,
      selector: { matchLabels: w.podLabels },
      template,
    },
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      currentRevision: `${w.name}-1`,
      updateRevision: `${w.name}-1`,
    },
  };
}

function route(
  namespace: string,
  name: string,
  host: string,
  service: string,
  port: number,
  wildcard = false,
): KubeObject {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    // The labels clearml:routes:render gives every Route (tenantObjectLabels); the health check selects Routes by them.
    metadata: {
      name,
      namespace,
      labels: {
        'app.kubernetes.io/part-of': namespace,
        'app.kubernetes.io/managed-by': 'backstage',
      },
      creationTimestamp: T0,
    },
    spec: {
      host,
      path: '/',
      to: { kind: 'Service', name: service, weight: 100 },
      port: { targetPort: port },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      wildcardPolicy: wildcard ? 'Subdomain' : 'None',
    },
    status: {
      ingress: [
        {
          host,
          routerName: 'default',
          wildcardPolicy: wildcard ? 'Subdomain' : 'None',
          conditions: [
            { type: 'Admitted', status: 'True', lastTransitionTime: T0 },
          ],
        },
      ],
    },
  };
}

const SERVER_IMAGE = 'docker.io/allegroai/clearml:1.17.1';

/** The workloads of a tenant, with the container and ServiceAccount names the charts use. */
export function tenantWorkloads(t: FixtureTenant): WorkloadFixture[] {
  const names = serverNames(t.edition, t.release);
  const ns = t.namespace;
  const waitFor = (what: string) => [
    {
      name: `init-${what}`,
      image: SERVER_IMAGE,
      command: ['sh', '-c', `until nc -z ${what}; do sleep 3; done`],
    },
  ];
  const workloads: Array<
    Omit<WorkloadFixture, 'labels' | 'podLabels'> & { component: string }
  > = [
    {
      kind: 'Deployment',
      component: 'apiserver',
      name: names.services.apiserver,
      namespace: ns,
      serviceAccount: names.serviceAccounts.apiserver,
      containers: [{ name: 'clearml-apiserver', image: SERVER_IMAGE }],
      initContainers: waitFor('elasticsearch'),
    },
    {
      kind: 'Deployment',
      component: 'fileserver',
      name: names.services.fileserver,
      namespace: ns,
      serviceAccount: names.serviceAccounts.fileserver,
      containers: [{ name: 'clearml-fileserver', image: SERVER_IMAGE }],
      initContainers: waitFor('apiserver'),
    },
    {
      kind: 'Deployment',
      component: 'webserver',
      name: names.services.webserver,
      namespace: ns,
      serviceAccount: names.serviceAccounts.webserver,
      containers: [{ name: 'clearml-webserver', image: SERVER_IMAGE }],
      initContainers: waitFor('apiserver'),
    },
    {
      kind: 'Deployment',
      component: 'asyncdelete',
      name: names.asyncDelete,
      namespace: ns,
      serviceAccount: names.serviceAccounts.apiserver,
      containers: [
        { name: 'clearml-apiserver-asyncdelete', image: SERVER_IMAGE },
      ],
    },
    {
      kind: 'Deployment',
      component: 'mongodb',
      name: names.mongodb.deployment,
      namespace: ns,
      serviceAccount: names.mongodb.serviceAccount,
      containers: [
        {
          name: 'mongodb',
          image: 'docker.io/bitnami/mongodb:5.0.26',
          securityContext: { runAsUser: 1001 },
        },
      ],
    },
    {
      kind: 'StatefulSet',
      component: 'redis',
      name: names.redis.statefulSet,
      namespace: ns,
      serviceAccount: names.redis.serviceAccount,
      containers: [
        {
          name: 'redis',
          image: 'docker.io/bitnami/redis:7.0.11',
          securityContext: { runAsUser: 1001 },
        },
      ],
    },
    {
      kind: 'StatefulSet',
      component: 'elasticsearch',
      name: names.elasticsearch.statefulSet,
      namespace: ns,
      serviceAccount: names.elasticsearch.serviceAccount,
      containers: [
        {
          name: 'elasticsearch',
          image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.18',
          securityContext: { runAsUser: 1000 },
        },
      ],
    },
  ];
  if (t.agent) {
    const agent = agentNames(t.edition, t.release);
    workloads.push({
      kind: 'Deployment',
      component: 'agent',
      name: agent.deployment,
      namespace: ns,
      serviceAccount: agent.serviceAccount,
      containers: [
        {
          name: 'k8s-glue',
          image: 'docker.io/allegroai/clearml-agent-k8s-base:1.24-21',
        },
      ],
    });
  }
  if (t.appGateway) {
    workloads.push({
      kind: 'Deployment',
      component: 'app-gateway',
      name: t.appGateway.release,
      namespace: t.appGateway.namespace,
      serviceAccount: t.appGateway.release,
      containers: [
        {
          name: 'app-gateway',
          image: 'allegroai/clearml-enterprise-app-gateway:1.0',
        },
      ],
    });
  }
  return workloads.map(({ component, ...w }) => ({
    ...w,
    ...chartLabels(t, component, w.name),
  }));
}

/** The tenant a fixture's namespaces belong to. */
export function fixtureTenantName(t: FixtureTenant): string {
  return t.tenant ?? t.namespace.replace(/^clearml-/, '');
}

/** The tenant's namespaces, labelled as the grant action and the GitOps Namespace manifest label them. */
export function tenantNamespaceObjects(t: FixtureTenant): KubeObject[] {
  const namespaces = [
    t.namespace,
    ...(t.appGateway && t.appGateway.namespace !== t.namespace
      ? [t.appGateway.namespace]
      : []),
  ];
  return namespaces.map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        ...tenantOwnerLabels(fixtureTenantName(t)),
      },
      creationTimestamp: T0,
    },
  }));
}

/** A tenant whose every workload is ready and every Route admitted, in its labelled namespaces. */
export function healthyTenantObjects(t: FixtureTenant): KubeObject[] {
  const names = serverNames(t.edition, t.release);
  const hosts = tenantHosts(t.domain);
  const objects: KubeObject[] = [...tenantNamespaceObjects(t)];
  for (const w of tenantWorkloads(t)) {
    objects.push(workloadObject(w));
    for (let i = 0; i < (w.replicas ?? 1); i++) objects.push(readyPod(w, i));
  }
  objects.push(
    route(
      t.namespace,
      names.services.apiserver,
      hosts.api,
      names.services.apiserver,
      names.containerPorts.apiserver,
    ),
    route(
      t.namespace,
      names.services.fileserver,
      hosts.files,
      names.services.fileserver,
      names.containerPorts.fileserver,
    ),
    route(
      t.namespace,
      names.services.webserver,
      hosts.web,
      names.services.webserver,
      names.containerPorts.webserver,
    ),
  );
  if (t.appGateway) {
    objects.push(
      route(
        t.appGateway.namespace,
        t.appGateway.release,
        appGatewayRouteHost(t.domain),
        t.appGateway.release,
        8080,
        true,
      ),
    );
  }
  return objects;
}

// ---- Failure signatures (docs/openshift-and-clearml.md#how-scc-trouble-shows-itself, #route-admission-status) ----

const RANGES = '[1000680000, 1000689999]';
const NOT_USABLE = (scc: string) =>
  `provider "${scc}": Forbidden: not usable by user or serviceaccount`;

/** The ReplicaSet's `FailedCreate` message when no SCC the webserver's account may use admits a root pod. */
export function replicaSetSccRefusal(replicaSet: string): string {
  return (
    `Error creating: pods "${replicaSet}-" is forbidden: unable to validate against any security context constraint: ` +
    `[${NOT_USABLE('anyuid')}, provider restricted-v2: .containers[0].runAsUser: Invalid value: 0: must be in the ranges: ${RANGES}, ` +
    `${NOT_USABLE('restricted')}, ${NOT_USABLE('nonroot-v2')}, ${NOT_USABLE('nonroot')}, ${NOT_USABLE('hostmount-anyuid')}, ` +
    `${NOT_USABLE('hostnetwork-v2')}, ${NOT_USABLE('hostnetwork')}, ${NOT_USABLE('hostaccess')}, ${NOT_USABLE('privileged')}]`
  );
}

/** The StatefulSet's `FailedCreate` message when elasticsearch's sysctl init container asks for privileged mode. */
export function statefulSetPrivilegedInitRefusal(statefulSet: string): string {
  const pod = `${statefulSet}-0`;
  return (
    `create Pod ${pod} in StatefulSet ${statefulSet} failed error: pods "${pod}" is forbidden: unable to validate against any ` +
    `security context constraint: [provider "anyuid": .initContainers[0].privileged: Invalid value: true: Privileged containers are not allowed, ` +
    `provider restricted-v2: .initContainers[0].privileged: Invalid value: true: Privileged containers are not allowed, ` +
    `.initContainers[0].runAsUser: Invalid value: 0: must be in the ranges: ${RANGES}, ` +
    `.containers[0].runAsUser: Invalid value: 1000: must be in the ranges: ${RANGES}, ` +
    `${NOT_USABLE('restricted')}, ${NOT_USABLE('nonroot-v2')}, ${NOT_USABLE('nonroot')}, ${NOT_USABLE('privileged')}]`
  );
}

/** A mongodb/redis refusal: the image pins UID 1001 (the example in docs/openshift-and-clearml.md). */
export function statefulSetUidRefusal(statefulSet: string): string {
  const pod = `${statefulSet}-0`;
  return (
    `create Pod ${pod} in StatefulSet ${statefulSet} failed error: pods "${pod}" is forbidden: unable to validate against any ` +
    `security context constraint: [${NOT_USABLE('anyuid')}, provider restricted-v2: .containers[0].runAsUser: Invalid value: 1001: ` +
    `must be in the ranges: ${RANGES}, ${NOT_USABLE('nonroot-v2')}, ${NOT_USABLE('privileged')}]`
  );
}

export function warningEvent(
  namespace: string,
  involved: { kind: string; name: string },
  reason: string,
  message: string,
  count = 12,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involved.name}.${templateHash(reason + message).slice(0, 8)}`,
      namespace,
      creationTimestamp: T0,
    },
    involvedObject: {
      apiVersion: 'apps/v1',
      kind: involved.kind,
      name: involved.name,
      namespace,
    },
    reason,
    message,
    type: 'Warning',
    count,
    firstTimestamp: T0,
    lastTimestamp: '2025-01-01T00:05:00Z',
    source: {
      component:
        involved.kind === 'StatefulSet'
          ? 'statefulset-controller'
          : 'replicaset-controller',
    },
  };
}

type Mutator = (objects: KubeObject[]) => KubeObject[];

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind} ${name}`);
  return found;
}

function podsOf(objects: KubeObject[], workload: string): KubeObject[] {
  // A Deployment's pods are owned by its ReplicaSet `<name>-<hash>`, a StatefulSet's by the StatefulSet itself.
  return objects.filter(
    o =>
      o.kind === 'Pod' &&
      [workload, `${workload}-${templateHash(workload)}`].includes(
        o.metadata.ownerReferences?.[0]?.name,
      ),
  );
}

/** No pod can be created: the workload has none ready, and its controller reports the admission refusal. */
export function podsRefused(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  message: string,
): Mutator {
  return objects => {
    const workload = find(objects, kind, name);
    const ns = workload.metadata.namespace;
    Object.assign(workload.status, {
      readyReplicas: 0,
      availableReplicas: 0,
      replicas: 0,
      currentReplicas: 0,
    });
    if (kind === 'Deployment') {
      workload.status.conditions = [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${name}-${templateHash(name)}" is progressing.`,
        },
      ];
    }
    const pods = new Set(podsOf(objects, name));
    const involved =
      kind === 'Deployment'
        ? { kind: 'ReplicaSet', name: `${name}-${templateHash(name)}` }
        : { kind, name };
    return [
      ...objects.filter(o => !pods.has(o)),
      warningEvent(ns, involved, 'FailedCreate', message),
    ];
  };
}

/** The workload's pod keeps crashing; `log` is what the container's last run printed. */
export function crashLooping(
  name: string,
  log: string,
  admittedBy = 'restricted-v2',
): Mutator {
  return objects => {
    const workload = objects.find(
      o =>
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        o.metadata.name === name,
    )!;
    Object.assign(workload.status, { readyReplicas: 0, availableReplicas: 0 });
    for (const pod of podsOf(objects, name)) {
      pod.metadata.annotations['openshift.io/scc'] = admittedBy;
      pod.status.conditions = pod.status.conditions.map((c: any) =>
        c.type === 'Ready'
          ? { ...c, status: 'False', reason: 'ContainersNotReady' }
          : c,
      );
      pod.status.containerStatuses = pod.status.containerStatuses.map(
        (s: any) => ({
          ...s,
          ready: false,
          started: false,
          restartCount: 7,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 5m0s restarting failed container=${s.name} pod=${pod.metadata.name}`,
            },
          },
          lastState: {
            terminated: { exitCode: 1, reason: 'Error', message: log },
          },
        }),
      );
    }
    return objects;
  };
}

/** The kubelet refuses to start the container (`CreateContainerConfigError`). */
export function containerConfigError(name: string, message: string): Mutator {
  return objects => {
    const workload = objects.find(
      o =>
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        o.metadata.name === name,
    )!;
    Object.assign(workload.status, { readyReplicas: 0, availableReplicas: 0 });
    for (const pod of podsOf(objects, name)) {
      pod.status.phase = 'Pending';
      pod.status.containerStatuses = pod.status.containerStatuses.map(
        (s: any) => ({
          ...s,
          ready: false,
          started: false,
          state: { waiting: { reason: 'CreateContainerConfigError', message } },
        }),
      );
    }
    return objects;
  };
}

/** The pod is stuck in `Init:0/1` (its init container waits for a dependency that does not answer). */
export function waitingInInit(name: string): Mutator {
  return objects => {
    const workload = objects.find(
      o => o.kind === 'Deployment' && o.metadata.name === name,
    )!;
    Object.assign(workload.status, { readyReplicas: 0, availableReplicas: 0 });
    for (const pod of podsOf(objects, name)) {
      pod.status.phase = 'Pending';
      pod.status.conditions = [
        {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
        },
      ];
      pod.status.initContainerStatuses = pod.status.initContainerStatuses.map(
        (s: any) => ({
          ...s,
          ready: false,
          state: { running: { startedAt: T0 } },
        }),
      );
      pod.status.containerStatuses = pod.status.containerStatuses.map(
        (s: any) => ({
          ...s,
          ready: false,
          started: false,
          state: { waiting: { reason: 'PodInitializing' } },
        }),
      );
    }
    return objects;
  };
}

/** The router refuses the Route of a Service (reasons and messages of docs/openshift-and-clearml.md#route-admission-status). */
export function routeRefused(
  service: string,
  reason: string,
  message: string,
): Mutator {
  return objects => {
    const r = objects.find(
      o => o.kind === 'Route' && o.spec.to.name === service,
    )!;
    r.status.ingress = r.status.ingress.map((i: any) => ({
      ...i,
      conditions: [
        {
          type: 'Admitted',
          status: 'False',
          reason,
          message,
          lastTransitionTime: T0,
        },
      ],
    }));
    return objects;
  };
}

export function apply(
  objects: KubeObject[],
  ...mutators: Mutator[]
): KubeObject[] {
  return mutators.reduce((acc, m) => m(acc), structuredClone(objects));
}

/**
 * The kubelet cannot pull a workload's image: its containers wait in
 * `ErrImagePull` (the runtime's error as the message) or `ImagePullBackOff`
 * ("Back-off pulling image …"), and the pods carry the kubelet's `Failed`
 * event "Failed to pull image "<image>": <the runtime's error>" as CRI-O
 * (OpenShift's runtime) words it.
 */
export function imagePullFailing(
  name: string,
  image: string,
  runtimeError: string,
  reason: 'ImagePullBackOff' | 'ErrImagePull' = 'ImagePullBackOff',
): Mutator {
  return objects => {
    const workload = objects.find(
      o =>
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        o.metadata.name === name,
    )!;
    Object.assign(workload.status, { readyReplicas: 0, availableReplicas: 0 });
    for (const pod of podsOf(objects, name)) {
      pod.status.phase = 'Pending';
      pod.status.conditions = pod.status.conditions.map((c: any) =>
        c.type === 'Ready'
          ? { ...c, status: 'False', reason: 'ContainersNotReady' }
          : c,
      );
      pod.status.containerStatuses = pod.status.containerStatuses.map(
        (s: any) => ({
          ...s,
          image,
          imageID: '',
          ready: false,
          started: false,
          state: {
            waiting: {
              reason,
              message:
                reason === 'ImagePullBackOff'
                  ? `Back-off pulling image "${image}"`
                  : runtimeError,
            },
          },
        }),
      );
      objects.push({
        ...warningEvent(
          pod.metadata.namespace,
          { kind: 'Pod', name: pod.metadata.name },
          'Failed',
          `Failed to pull image "${image}": ${runtimeError}`,
          4,
        ),
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          namespace: pod.metadata.namespace,
          fieldPath: `spec.containers{${pod.status.containerStatuses[0].name}}`,
        },
        source: { component: 'kubelet', host: 'worker-0' },
      });
    }
    return objects;
  };
}

/**
 * A StatefulSet's claim does not bind: its pod mounts claim
 * `<template>-<pod>`, stays Pending with the scheduler's "pod has unbound
 * immediate PersistentVolumeClaims", and the claim (phase Pending) carries
 * the PersistentVolume controller's event: `FailedBinding` (type Normal) "no
 * persistent volumes available for this claim and no storage class is set"
 * when it names no class and the cluster has no default, or
 * `ProvisioningFailed` (Warning) 'storageclass.storage.k8s.io "<class>" not
 * found' when it names one the cluster lacks.
 */
export function claimPending(
  statefulSet: string,
  claimTemplate: string,
  storageClassName?: string,
): Mutator {
  return objects => {
    const workload = find(objects, 'StatefulSet', statefulSet);
    Object.assign(workload.status, { readyReplicas: 0, availableReplicas: 0 });
    workload.spec.volumeClaimTemplates = [
      {
        metadata: { name: claimTemplate },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '8Gi' } },
          ...(storageClassName ? { storageClassName } : {}),
        },
      },
    ];
    for (const pod of podsOf(objects, statefulSet)) {
      const namespace = pod.metadata.namespace;
      const claim = `${claimTemplate}-${pod.metadata.name}`;
      pod.spec.volumes = [
        ...(pod.spec.volumes ?? []),
        { name: claimTemplate, persistentVolumeClaim: { claimName: claim } },
      ];
      pod.status = {
        phase: 'Pending',
        qosClass: 'Burstable',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message:
              '0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.',
            lastTransitionTime: T0,
          },
        ],
      };
      objects.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claim, namespace, creationTimestamp: T0 },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '8Gi' } },
          volumeMode: 'Filesystem',
          ...(storageClassName ? { storageClassName } : {}),
        },
        status: { phase: 'Pending' },
      });
      const event = storageClassName
        ? warningEvent(
            namespace,
            { kind: 'PersistentVolumeClaim', name: claim },
            'ProvisioningFailed',
            `storageclass.storage.k8s.io "${storageClassName}" not found`,
            9,
          )
        : {
            ...warningEvent(
              namespace,
              { kind: 'PersistentVolumeClaim', name: claim },
              'FailedBinding',
              'no persistent volumes available for this claim and no storage class is set',
              9,
            ),
            type: 'Normal',
          };
      objects.push({
        ...event,
        involvedObject: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: claim,
          namespace,
        },
        source: { component: 'persistentvolume-controller' },
      });
    }
    return objects;
  };
}
