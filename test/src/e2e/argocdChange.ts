/**
 * After a change pull request is merged, what Argo CD does, played against the Kubernetes API double over HTTP:
 * the app of apps applies the tenant's Applications (a new one created, a changed one replaced, one gone pruned),
 * then each Application's objects, rendered from the merged checkout (`helm template` of the packaged charts), are
 * applied in sync order: updated in place (PUT, as `kubectl apply` ends up), created when new, pruned when no longer
 * rendered (`syncPolicy.automated.prune`). The double answers each write as the API server would: an update of a
 * StatefulSet's `volumeClaimTemplates` is refused, and the sync stops there.
 *
 * And the cluster admin's part the change description gives for that case: grow the StatefulSet's claims, delete
 * the StatefulSet without its pods (`--cascade=orphan`), so that the next sync creates it with the new size.
 */
import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';
import { KubeObject, syncApplications } from '../charts/argocdSync';
import {
  ArgocdSimulation,
  objectClient,
  patchStatus,
} from './argocdSimulation';

const key = (o: KubeObject) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function live(kubernetes: KubernetesApiDouble, o: KubeObject) {
  return kubernetes.get(
    o.apiVersion,
    o.kind,
    o.metadata.name,
    o.metadata.namespace,
  );
}

async function render(options: {
  repoRoot: string;
  tenantDir: string;
  clusterVersion: string;
}) {
  const applicationsFile = path.join(
    options.repoRoot,
    options.tenantDir,
    'applications.yaml',
  );
  return {
    applicationObjects: yaml.loadAll(
      fs.readFileSync(applicationsFile, 'utf8'),
    ) as KubeObject[],
    applications: await syncApplications({
      repoRoot: options.repoRoot,
      applicationsFile,
      clusterVersion: options.clusterVersion,
    }),
  };
}

/** Applies `object`: replaced when it exists (the live status kept), created otherwise. */
async function apply(
  kubernetes: KubernetesApiDouble,
  object: KubeObject,
): Promise<'created' | 'updated'> {
  const client = objectClient(kubernetes);
  const current = live(kubernetes, object);
  if (!current) {
    await client.create(object as any);
    return 'created';
  }
  await client.replace({
    ...object,
    ...((current as any).status ? { status: (current as any).status } : {}),
    metadata: {
      ...object.metadata,
      resourceVersion: current.metadata?.resourceVersion,
    },
  } as any);
  return 'updated';
}

/** The merged change applied; throws the API server's refusal of the first write it refuses. */
export async function argocdApplyChange(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
  clusterVersion: string;
  /** What the previous sync deployed (the Applications and their objects before the change). */
  previous: ArgocdSimulation;
}): Promise<
  ArgocdSimulation & {
    createdApplications: string[];
    prunedApplications: string[];
    pruned: string[];
  }
> {
  const { kubernetes, previous } = options;
  const client = objectClient(kubernetes);
  const { applicationObjects, applications } = await render(options);
  const before = new Set(previous.applicationObjects.map(key));
  const now = new Set(applicationObjects.map(key));
  for (const app of applicationObjects) await apply(kubernetes, app);
  const pruned: string[] = [];
  for (const app of previous.applicationObjects.filter(a => !now.has(key(a)))) {
    // Its finalizer deletes what it deployed, then the Application goes.
    const deployed =
      previous.applications.find(a => a.name === app.metadata.name)?.objects ??
      [];
    for (const object of deployed.filter(o => live(kubernetes, o))) {
      await client.delete(object as any);
      pruned.push(key(object));
    }
    await client.delete(app as any);
  }
  for (const app of applications) {
    const rendered = new Set(app.objects.map(key));
    for (const object of app.objects) await apply(kubernetes, object);
    const earlier =
      previous.applications.find(a => a.name === app.name)?.objects ?? [];
    for (const object of earlier.filter(
      o => !rendered.has(key(o)) && live(kubernetes, o),
    )) {
      await client.delete(object as any);
      pruned.push(key(object));
    }
  }
  for (const app of applicationObjects) {
    await patchStatus(kubernetes, app, {
      sync: { status: 'Synced' },
      health: { status: 'Progressing' },
      operationState: { phase: 'Succeeded' },
    });
  }
  return {
    applications,
    applicationObjects,
    createdApplications: applicationObjects
      .filter(a => !before.has(key(a)))
      .map(a => a.metadata.name),
    prunedApplications: previous.applicationObjects
      .filter(a => !now.has(key(a)))
      .map(a => a.metadata.name),
    pruned,
  };
}

/**
 * The cluster admin's steps for claims of a StatefulSet that a change grows: each claim
 * (`<template>-<statefulset>-<ordinal>`) patched to the merged size, the StatefulSet deleted without its pods.
 * Returns the StatefulSets deleted.
 */
export async function growStatefulSetClaims(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
  clusterVersion: string;
}): Promise<string[]> {
  const { kubernetes } = options;
  const core = objectClient(kubernetes);
  const { applications } = await render(options);
  const deleted: string[] = [];
  for (const sts of applications
    .flatMap(a => a.objects)
    .filter(o => o.kind === 'StatefulSet')) {
    const current = live(kubernetes, sts) as any;
    const templates: any[] = sts.spec?.volumeClaimTemplates ?? [];
    if (
      !current ||
      JSON.stringify(current.spec?.volumeClaimTemplates ?? []) ===
        JSON.stringify(templates)
    )
      continue;
    for (let i = 0; i < (current.spec?.replicas ?? 1); i++) {
      for (const template of templates) {
        const claim = live(kubernetes, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: `${template.metadata.name}-${sts.metadata.name}-${i}`,
            namespace: sts.metadata.namespace,
          },
        } as KubeObject) as any;
        if (!claim) continue;
        await core.replace({
          ...claim,
          spec: {
            ...claim.spec,
            resources: {
              ...claim.spec.resources,
              requests: {
                ...claim.spec.resources?.requests,
                storage: template.spec.resources.requests.storage,
              },
            },
          },
        });
      }
    }
    // oc delete statefulset --cascade=orphan: its pods (and claims) stay.
    await core.delete(
      current,
      undefined,
      undefined,
      undefined,
      undefined,
      'Orphan',
    );
    deleted.push(sts.metadata.name);
  }
  return deleted;
}
