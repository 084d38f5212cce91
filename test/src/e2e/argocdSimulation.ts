/**
 * After the merge, what Argo CD (OpenShift GitOps) and the cluster's
 * controllers do, played against the Kubernetes API double over HTTP: the
 * tenants' app-of-apps creates the merged Applications, each Application
 * applies its objects in sync-wave order (its chart rendered by `helm template`
 * from the packaged public chart), and the workload controllers either start
 * pods (admitted by an SCC the pod's account holds, per the SCC admission
 * check) and report them ready, or record OpenShift's `FailedCreate` refusal.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import {
  GithubApiDouble,
  KubernetesApiDouble,
  KUBERNETES_ALL_RULES,
  externalSecretsReconcile,
} from '@internal/clearml-test-utils';
import {
  KubeObject,
  syncApplications,
  SyncedApplication,
} from '../charts/argocdSync';
import { podTemplates, serviceAccountOf } from '../charts/objectGraph';
import { syncedStatus } from './argocdSyncStatus';
import {
  admittingScc,
  availableSccs,
  defaultSccs,
  sccRefusalMessage,
} from '../charts/sccAdmission';

export const ARGOCD_TOKEN = 'sha256~e2e-argocd-controller-31f7';

/** The commit each checkout directory holds: Argo CD reports it as the revision of the git sources. */
const checkedOut = new Map<string, string>();

/**
 * The GitOps repository's default branch, checked out to a directory as Argo CD's repo server does; returns the
 * commit SHA checked out.
 */
export function checkout(
  github: GithubApiDouble,
  owner: string,
  repo: string,
  ref: string,
  dir: string,
): string {
  for (const [file, { content }] of Object.entries(
    github.filesAt(owner, repo, ref),
  )) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const sha = github.branchHead(owner, repo, ref)?.sha ?? ref;
  checkedOut.set(path.resolve(dir), sha);
  return sha;
}

export function objectClient(
  kubernetes: KubernetesApiDouble,
): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'double', server: kubernetes.url, skipTLSVerify: true }],
    users: [{ name: 'argocd', token: ARGOCD_TOKEN }],
    contexts: [{ name: 'double', cluster: 'double', user: 'argocd' }],
    currentContext: 'double',
  });
  return KubernetesObjectApi.makeApiClient(kc);
}

export async function patchStatus(
  kubernetes: KubernetesApiDouble,
  object: KubeObject,
  status: Record<string, unknown>,
): Promise<void> {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const plural = `${object.kind.toLowerCase()}s`.replace(/ys$/, 'ies');
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const ns = object.metadata.namespace
    ? `/namespaces/${object.metadata.namespace}`
    : '';
  const response = await fetch(
    `${kubernetes.url}${prefix}${ns}/${plural}/${object.metadata.name}/status`,
    {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${ARGOCD_TOKEN}`,
        'Content-Type': 'application/merge-patch+json',
      },
      body: JSON.stringify({ status }),
    },
  );
  if (!response.ok)
    throw new Error(
      `status of ${object.kind} ${object.metadata.name}: ${response.status} ${await response.text()}`,
    );
}

const tokenAdded = new WeakSet<KubernetesApiDouble>();

export interface ArgocdSimulation {
  applications: SyncedApplication[];
  /** Argo CD's Application objects as the app-of-apps created them. */
  applicationObjects: KubeObject[];
}

/**
 * Argo CD's part: the Applications of `tenants/<tenant>/applications.yaml`
 * created in the Argo CD namespace, then every object they render applied in
 * sync order (`skip` drops objects, e.g. an ApplicationSet that leaves out the
 * grants). The Applications end `Synced`, health `Progressing`.
 */
export async function argocdSync(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
  clusterVersion: string;
  skip?: (object: KubeObject) => boolean;
  /** The commit checked out of the GitOps repository; `checkout` records it for its directory. */
  gitRevision?: string;
}): Promise<ArgocdSimulation> {
  const { kubernetes } = options;
  if (!tokenAdded.has(kubernetes)) {
    kubernetes.addToken({
      name: 'argocd',
      token: ARGOCD_TOKEN,
      user: 'system:serviceaccount:openshift-gitops:openshift-gitops-argocd-application-controller',
      rules: KUBERNETES_ALL_RULES,
    });
    tokenAdded.add(kubernetes);
  }
  const client = objectClient(kubernetes);
  const applicationsFile = path.join(
    options.repoRoot,
    options.tenantDir,
    'applications.yaml',
  );
  const applicationObjects = yaml.loadAll(
    fs.readFileSync(applicationsFile, 'utf8'),
  ) as KubeObject[];
  // OpenShift GitOps' own namespace, where the operator runs Argo CD and the Applications live.
  for (const ns of new Set(
    applicationObjects.map(a => a.metadata.namespace!),
  )) {
    if (!kubernetes.get('v1', 'Namespace', ns))
      await client.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
  }
  for (const app of applicationObjects) await client.create(app as any);

  const applications = await syncApplications({
    repoRoot: options.repoRoot,
    applicationsFile,
    clusterVersion: options.clusterVersion,
  });
  for (const app of applications) {
    const applied: KubeObject[] = [];
    for (const object of app.objects) {
      if (options.skip?.(object)) continue;
      await client.create(object as any);
      applied.push(object);
    }
    // The External Secrets Operator creates the Secret of each ExternalSecret (wave -1) before the chart's pods need it.
    for (const secret of externalSecretsReconcile(
      applied,
      (namespace, name) => !!kubernetes.get('v1', 'Secret', name, namespace),
    ))
      await client.create(secret as any);
  }
  const gitRevision =
    options.gitRevision ?? checkedOut.get(path.resolve(options.repoRoot));
  for (const app of applicationObjects) {
    await patchStatus(kubernetes, app, {
      ...syncedStatus(kubernetes, app, gitRevision),
      health: { status: 'Progressing' },
    });
  }
  return { applications, applicationObjects };
}

/**
 * The controllers' part: each Deployment and StatefulSet either gets its pods
 * (an SCC its account holds admits them: status ready) or a `FailedCreate`
 * event worded as OpenShift's admission words it; the router admits the
 * Routes; Argo CD then reports the Applications healthy when every workload is.
 */
export async function runControllers(
  kubernetes: KubernetesApiDouble,
  simulation: ArgocdSimulation,
): Promise<{ refused: string[] }> {
  const sccs = defaultSccs();
  const refused: string[] = [];
  const objects = simulation.applications.flatMap(a => a.objects);
  const namespaces = [
    ...new Set(
      objects.map(o => o.metadata.namespace).filter((n): n is string => !!n),
    ),
  ];
  const bindings = namespaces.flatMap(
    ns =>
      kubernetes.list(
        'rbac.authorization.k8s.io/v1',
        'RoleBinding',
        ns,
      ) as any[],
  );
  const granted = (account: string) =>
    bindings
      .filter(
        b =>
          b.roleRef.name.startsWith('system:openshift:scc:') &&
          (b.subjects ?? []).some((s: any) => s.name === account),
      )
      .map(b => b.roleRef.name.replace('system:openshift:scc:', ''));

  for (const workload of objects.filter(
    o => o.kind === 'Deployment' || o.kind === 'StatefulSet',
  )) {
    const current = kubernetes.get(
      workload.apiVersion,
      workload.kind,
      workload.metadata.name,
      workload.metadata.namespace,
    );
    if (!current) continue;
    // The controller has seen the workload's current spec (a change or upgrade moved its generation on).
    const observedGeneration = current.metadata?.generation ?? 1;
    const [pod] = podTemplates([workload]);
    const account = serviceAccountOf(pod);
    const admission = admittingScc(
      availableSccs(sccs, granted(account)),
      pod.spec,
    );
    const replicas = workload.spec.replicas ?? 1;
    if (admission.scc) {
      await patchStatus(kubernetes, workload, {
        observedGeneration,
        replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        updatedReplicas: replicas,
        currentReplicas: replicas,
        ...(workload.kind === 'Deployment'
          ? {
              conditions: [
                {
                  type: 'Available',
                  status: 'True',
                  reason: 'MinimumReplicasAvailable',
                },
              ],
            }
          : {
              currentRevision: `${workload.metadata.name}-1`,
              updateRevision: `${workload.metadata.name}-1`,
            }),
      });
      continue;
    }
    refused.push(workload.metadata.name);
    const replicaSet = `${workload.metadata.name}-6d4cf56db6`;
    const message = sccRefusalMessage({
      workload: {
        kind: workload.kind as 'Deployment' | 'StatefulSet',
        name: workload.metadata.name,
      },
      replicaSet,
      refusals: admission.refusals,
      sccs,
    });
    await patchStatus(kubernetes, workload, {
      observedGeneration,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      ...(workload.kind === 'Deployment'
        ? {
            conditions: [
              {
                type: 'ReplicaFailure',
                status: 'True',
                reason: 'FailedCreate',
                message,
              },
            ],
          }
        : {}),
    });
    kubernetes.load([
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${workload.metadata.name}.17e0c0ffee`,
          namespace: workload.metadata.namespace,
        },
        involvedObject:
          workload.kind === 'Deployment'
            ? {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: replicaSet,
                namespace: workload.metadata.namespace,
              }
            : {
                apiVersion: 'apps/v1',
                kind: 'StatefulSet',
                name: workload.metadata.name,
                namespace: workload.metadata.namespace,
              },
        reason: 'FailedCreate',
        message,
        type: 'Warning',
        count: 9,
        firstTimestamp: new Date(Date.now() - 60_000).toISOString(),
        lastTimestamp: new Date().toISOString(),
        source: {
          component:
            workload.kind === 'Deployment'
              ? 'replicaset-controller'
              : 'statefulset-controller',
        },
      },
    ]);
  }
  for (const route of objects.filter(o => o.kind === 'Route')) {
    await patchStatus(kubernetes, route, {
      ingress: [
        {
          host: route.spec.host,
          routerName: 'default',
          wildcardPolicy: 'None',
          conditions: [{ type: 'Admitted', status: 'True' }],
        },
      ],
    });
  }
  for (const app of simulation.applicationObjects) {
    await patchStatus(kubernetes, app, {
      health: { status: refused.length ? 'Degraded' : 'Healthy' },
    });
  }
  return { refused };
}
