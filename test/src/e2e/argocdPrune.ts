/**
 * After a retire pull request is merged, what Argo CD (OpenShift GitOps) and the cluster's controllers do, played
 * against the Kubernetes API double over HTTP:
 * - the app of apps prunes the tenant's Applications (their `applications.yaml` is gone from the checkout);
 * - each Application's `resources-finalizer.argocd.argoproj.io` deletes the objects it deployed, except those whose
 *   live object says `argocd.argoproj.io/sync-options: Delete=false` or `helm.sh/resource-policy: keep` (argo-cd
 *   controller/appcontroller.go `shouldBeDeleted`, at commit 37ee0097cf851bc2dd7665fc081bbce61a7e836e);
 * - the namespace controller deletes what is in a deleted Namespace, and the garbage collector what a deleted
 *   object owned (the External Secrets Operator's Secret of an ExternalSecret).
 * Also the StatefulSet controller's part before that: the claims of each StatefulSet's `volumeClaimTemplates`
 * (`<template>-<statefulset>-<ordinal>`), which Argo CD does not track.
 */
import fs from 'fs';
import path from 'path';
import {
  ARGOCD_KEEP_ON_DELETE,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  hasSyncOption,
} from '@clearml-openshift/plugin-clearml-common';
import {
  KubernetesApiDouble,
  KUBERNETES_DOUBLE_RESOURCE_TYPES,
} from '@internal/clearml-test-utils';
import { KubeObject } from '../charts/argocdSync';
import { ArgocdSimulation } from './argocdSimulation';
import { argocdRequest } from './argocdRequest';

const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

function live(
  kubernetes: KubernetesApiDouble,
  o: KubeObject,
): KubeObject | undefined {
  return kubernetes.get(
    o.apiVersion,
    o.kind,
    o.metadata.name,
    o.metadata.namespace,
  ) as KubeObject | undefined;
}

/** The StatefulSet controller: one claim per volumeClaimTemplate for each replica. */
export async function provisionStatefulSetClaims(
  kubernetes: KubernetesApiDouble,
  simulation: ArgocdSimulation,
): Promise<string[]> {
  const made: string[] = [];
  for (const sts of simulation.applications
    .flatMap(a => a.objects)
    .filter(o => o.kind === 'StatefulSet')) {
    for (let i = 0; i < (sts.spec?.replicas ?? 1); i++) {
      for (const template of sts.spec?.volumeClaimTemplates ?? []) {
        const name = `${template.metadata.name}-${sts.metadata.name}-${i}`;
        const claim = {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name,
            namespace: sts.metadata.namespace,
            labels: template.metadata.labels ?? {},
          },
          spec: template.spec,
        };
        const response = await argocdRequest(kubernetes, 'POST', claim, claim);
        if (!response.ok && response.status !== 409)
          throw new Error(
            `claim ${name}: ${response.status} ${await response.text()}`,
          );
        made.push(name);
      }
    }
  }
  return made;
}

/** Argo CD's shouldBeDeleted for a live object. */
function argocdDeletes(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  return (
    !hasSyncOption(
      annotations[ARGOCD_SYNC_OPTIONS_ANNOTATION],
      ARGOCD_KEEP_ON_DELETE,
    ) && annotations['helm.sh/resource-policy'] !== 'keep'
  );
}

export interface PruneResult {
  /** Applications the app of apps pruned. */
  prunedApplications: string[];
  /** `<Kind>/<name>` of every object deleted (by Argo CD, the namespace controller or the garbage collector). */
  deleted: string[];
  /** `<Kind>/<name>` of the Applications' objects left in place by their sync options. */
  kept: string[];
}

/**
 * The merge of a retire pull request: `repoRoot` is the checkout of the default branch after the merge, `tenantDir`
 * the removed directory, `simulation` what the earlier sync deployed.
 */
export async function argocdPrune(options: {
  kubernetes: KubernetesApiDouble;
  repoRoot: string;
  tenantDir: string;
  simulation: ArgocdSimulation;
}): Promise<PruneResult> {
  const { kubernetes, simulation } = options;
  const result: PruneResult = { prunedApplications: [], deleted: [], kept: [] };
  if (
    fs.existsSync(
      path.join(options.repoRoot, options.tenantDir, 'applications.yaml'),
    )
  )
    return result;
  const remove = async (o: KubeObject) => {
    const response = await argocdRequest(kubernetes, 'DELETE', o);
    if (!response.ok && response.status !== 404)
      throw new Error(
        `delete ${o.kind} ${o.metadata.name}: ${response.status} ${await response.text()}`,
      );
    if (response.ok) result.deleted.push(`${o.kind}/${o.metadata.name}`);
  };
  const deletedNamespaces: string[] = [];
  for (const app of simulation.applicationObjects) {
    const current = live(kubernetes, app);
    if (!current) continue;
    if ((current.metadata as any).finalizers?.includes(RESOURCES_FINALIZER)) {
      const deployed =
        simulation.applications.find(a => a.name === app.metadata.name)
          ?.objects ?? [];
      // Foreground cascading deletion, last applied first.
      for (const object of [...deployed].reverse()) {
        const liveObject = live(kubernetes, object);
        if (!liveObject) continue;
        if (!argocdDeletes(liveObject)) {
          result.kept.push(`${object.kind}/${object.metadata.name}`);
          continue;
        }
        await remove(liveObject);
        if (object.kind === 'Namespace')
          deletedNamespaces.push(object.metadata.name);
      }
    }
    await remove(current);
    result.prunedApplications.push(app.metadata.name);
  }
  // The namespace controller empties a deleted namespace.
  for (const ns of deletedNamespaces) {
    for (const type of KUBERNETES_DOUBLE_RESOURCE_TYPES.filter(
      t => t.namespaced,
    )) {
      const apiVersion = type.group
        ? `${type.group}/${type.version}`
        : type.version;
      for (const o of kubernetes.list(
        apiVersion,
        type.kind,
        ns,
      ) as KubeObject[])
        await remove(o);
    }
  }
  // The garbage collector: what a deleted ExternalSecret owned.
  const gone = new Set(result.deleted);
  for (const ns of new Set(
    simulation.applications
      .flatMap(a => a.objects)
      .map(o => o.metadata.namespace)
      .filter(Boolean),
  )) {
    for (const secret of kubernetes.list('v1', 'Secret', ns) as KubeObject[]) {
      const owners: Array<{ kind: string; name: string }> =
        (secret.metadata as any).ownerReferences ?? [];
      if (owners.some(o => gone.has(`${o.kind}/${o.name}`)))
        await remove(secret);
    }
  }
  return result;
}
