/**
 * After a change that grows a size tier is merged, Argo CD's sync (argocdUpgrade.ts) stops at the StatefulSets: the
 * API server refuses any change of their `volumeClaimTemplates`. This is the cluster admin's part the change
 * description gives for that case: grow each StatefulSet's claims, delete the StatefulSet without its pods
 * (`--cascade=orphan`), so that the next sync creates it with the new size.
 */
import path from 'path';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';
import { KubeObject, syncApplications } from '../charts/argocdSync';
import { objectClient } from './argocdSimulation';

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
  return syncApplications({
    repoRoot: options.repoRoot,
    applicationsFile,
    clusterVersion: options.clusterVersion,
  });
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
  const applications = await render(options);
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
