/**
 * What the benchmark loads into the Kubernetes API double and the catalog: tenants, their entities and namespaces,
 * and the noise a busy tenant's namespace holds (the agent's task pods, other Warning Events).
 */
import { Entity } from '@backstage/catalog-model';
import {
  TENANT_OWNER_LABEL,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import { FixtureTenant, KubeObject } from '@internal/clearml-test-utils';
import { anchored } from '../../plugins/clearml-backend/src/__testUtils__/anchor';

/** The read-only token of the benchmark's cluster. */
export const READ_TOKEN = 'benchmark-read-token';
/** The tenant whose namespace holds the task pods and events. */
export const BUSY = 0;

export const tenant = (i: number): FixtureTenant => ({
  namespace: `clearml-t${i}`,
  release: 'clearml',
  edition: 'oss',
  domain: `t${i}.clearml.apps.bench.example.com`,
  agent: i === BUSY,
});

/** A tenant entity as the catalog holds it: registered from its file in the GitOps repository. */
export function entity(i: number, t: FixtureTenant = tenant(i)): Entity {
  return anchored({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: t.tenant ?? `t${i}`,
      namespace: 'default',
      annotations: tenantEntityAnnotations({
        cluster: 'bench',
        namespace: t.namespace,
        release: t.release,
        edition: t.edition,
        tenant: t.tenant ?? `t${i}`,
      }),
    },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  });
}

export function namespaceOf(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: tenant(i).namespace,
      labels: { [TENANT_OWNER_LABEL]: `t${i}` },
    },
  };
}

/** A task pod as the k8s glue agent starts it (about 3 kB of JSON, like a real one). */
export function taskPod(namespace: string, i: number): KubeObject {
  const id = `${(i * 2654435761).toString(16).padStart(8, '0')}a1b2c3d4e5f6a7b8c9d0e1f2`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `clearml-id-${id}`,
      namespace,
      labels: {
        'ai.allegro.agent.serial': `pod-${i}`,
        'clearml-agent-queue': 'c8a5b4e3',
        'clearml-agent-queue-name': 'default',
        'clearml-agent-task-id': id,
      },
      annotations: {
        'openshift.io/scc': 'anyuid',
        'k8s.ovn.org/pod-networks': `{"default":{"ip_addresses":["10.128.${i % 250}.${i % 200}/23"],"mac_address":"0a:58:0a:80:02:2c","gateway_ips":["10.128.2.1"]}}`,
      },
      creationTimestamp: '2025-01-01T00:00:00Z',
      uid: `uid-task-${i}`,
    },
    spec: {
      serviceAccountName: 'clearml-agent-sa',
      restartPolicy: 'Never',
      containers: [
        {
          name: `clearml-id-${id}`,
          image: 'nvcr.io/nvidia/pytorch:24.01-py3',
          command: [
            'bash',
            '-c',
            `export CLEARML_TASK_ID=${id}; clearml-agent execute --full-monitoring --require-queue --id ${id}`,
          ],
          env: [
            'CLEARML_API_HOST',
            'CLEARML_WEB_HOST',
            'CLEARML_FILES_HOST',
            'CLEARML_WORKER_ID',
            'CLEARML_DOCKER_IMAGE',
            'PYTHONUNBUFFERED',
          ].map(name => ({
            name,
            value: `http://clearml-apiserver.clearml-t0.svc.cluster.local:8008/${name.toLowerCase()}`,
          })),
          resources: {
            limits: { 'nvidia.com/gpu': '1', memory: '16Gi' },
            requests: { cpu: '4', memory: '16Gi' },
          },
          volumeMounts: [
            {
              name: 'kube-api-access',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
          ],
        },
      ],
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              {
                serviceAccountToken: { expirationSeconds: 3607, path: 'token' },
              },
            ],
          },
        },
      ],
      nodeName: `gpu-worker-${i % 16}.bench.example.com`,
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
    },
    status: {
      phase: i % 3 === 0 ? 'Pending' : 'Running',
      conditions: [
        'PodScheduled',
        'Initialized',
        'ContainersReady',
        'Ready',
      ].map(type => ({
        type,
        status: 'True',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      })),
      hostIP: '10.0.0.12',
      podIP: `10.128.${i % 250}.${i % 200}`,
      startTime: '2025-01-01T00:00:00Z',
      containerStatuses: [
        {
          name: `clearml-id-${id}`,
          ready: true,
          restartCount: 0,
          image: 'nvcr.io/nvidia/pytorch:24.01-py3',
          imageID: `nvcr.io/nvidia/pytorch@sha256:${id}${id}`,
          started: true,
          state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
        },
      ],
    },
  };
}

/** A Warning Event of something else in the namespace (a task pod backing off, a node out of GPUs): about 1 kB. */
export function otherEvent(namespace: string, i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `clearml-id-${i}.17f${i.toString(16)}`,
      namespace,
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    involvedObject: {
      kind: 'Pod',
      namespace,
      name: `clearml-id-${i}`,
      uid: `uid-task-${i}`,
      apiVersion: 'v1',
      resourceVersion: String(1000 + i),
      fieldPath: 'spec.containers{task}',
    },
    reason: i % 2 ? 'BackOff' : 'FailedScheduling',
    message:
      i % 2
        ? `Back-off restarting failed container task in pod clearml-id-${i}_${namespace}(uid-task-${i})`
        : '0/24 nodes are available: 8 Insufficient nvidia.com/gpu, 16 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/24 nodes are available: 8 No preemption victims found for incoming pod, 16 Preemption is not helpful for scheduling.',
    source: {
      component: 'kubelet',
      host: `gpu-worker-${i % 16}.bench.example.com`,
    },
    firstTimestamp: '2025-01-01T00:00:00Z',
    lastTimestamp: '2025-01-01T00:05:00Z',
    count: 12,
    type: 'Warning',
    reportingComponent: 'kubelet',
    reportingInstance: `gpu-worker-${i % 16}`,
  };
}

/** `n` tenants spread over `releases` release names (`clearml`, `rel1`, …), each in its labelled namespace. */
export function releaseTenants(n: number, releases: number): FixtureTenant[] {
  return Array.from({ length: n }, (_, i) => ({
    tenant: `r${i}`,
    namespace: `clearml-r${i}`,
    release: i % releases === 0 ? 'clearml' : `rel${i % releases}`,
    edition: 'oss',
    domain: `r${i}.clearml.apps.bench.example.com`,
  }));
}
