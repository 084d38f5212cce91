/**
 * The `keep` data policy of a retired tenant, applied before its retire pull request exists: the tenant's
 * Namespace and every PersistentVolumeClaim in it get Argo CD's `Delete=false` sync option, so that when the merge
 * removes the tenant's Applications, their finalizer's cascading deletion leaves them (argo-cd
 * controller/appcontroller.go `shouldBeDeleted`); everything else Argo CD deployed goes. The annotation changes
 * nothing while the tenant runs, so a retire pull request that is never merged leaves the tenant as it was.
 */
import {
  ARGOCD_KEEP_ON_DELETE,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  hasSyncOption,
  withSyncOption,
} from '@clearml-openshift/plugin-clearml-common';
import {
  AccessCheck,
  ClearmlCluster,
  KubernetesClients,
} from '@clearml-openshift/plugin-clearml-node';
import { setHeaderOptions } from '@kubernetes/client-node';
import { clusterCallError } from '../cluster/clusterErrors';

/** The grant credential's rights the keep policy uses (checked with SelfSubjectAccessReviews before any write). */
export function keepDataAccessChecks(namespace: string): AccessCheck[] {
  return [
    { verb: 'patch', group: '', resource: 'namespaces', name: namespace },
    { verb: 'list', group: '', resource: 'persistentvolumeclaims', namespace },
    { verb: 'patch', group: '', resource: 'persistentvolumeclaims', namespace },
  ];
}

/** The claims in the namespace, by name. */
export async function tenantClaims(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
): Promise<Array<{ name: string; syncOptions?: string; storage?: string }>> {
  try {
    const list = await clients.core.listNamespacedPersistentVolumeClaim({
      namespace,
    });
    return list.items
      .map(c => ({
        name: c.metadata!.name!,
        syncOptions: c.metadata?.annotations?.[ARGOCD_SYNC_OPTIONS_ANNOTATION],
        storage: c.spec?.resources?.requests?.storage as string | undefined,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw clusterCallError(
      error,
      cluster,
      clients,
      `Listing the claims in ${namespace} on cluster '${cluster.name}'`,
      `list on persistentvolumeclaims in ${namespace}`,
    );
  }
}

const mergePatch = setHeaderOptions(
  'Content-Type',
  'application/merge-patch+json',
);

function keepPatch(current: string | undefined) {
  return {
    metadata: {
      annotations: {
        [ARGOCD_SYNC_OPTIONS_ANNOTATION]: withSyncOption(
          current,
          ARGOCD_KEEP_ON_DELETE,
        ),
      },
    },
  };
}

/** Marks the Namespace and the claims; returns the claims' names. Only objects not marked yet are patched. */
export async function applyKeepData(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  namespace: string,
  log: (message: string) => void,
): Promise<string[]> {
  const needs = `patch on namespaces and list, patch on persistentvolumeclaims in ${namespace}`;
  try {
    const ns = await clients.core.readNamespace({ name: namespace });
    const current = ns.metadata?.annotations?.[ARGOCD_SYNC_OPTIONS_ANNOTATION];
    if (!hasSyncOption(current, ARGOCD_KEEP_ON_DELETE)) {
      await clients.core.patchNamespace(
        { name: namespace, body: keepPatch(current) },
        mergePatch,
      );
    }
  } catch (error) {
    throw clusterCallError(
      error,
      cluster,
      clients,
      `Marking namespace ${namespace} to be kept`,
      needs,
    );
  }
  const claims = await tenantClaims(clients, cluster, namespace);
  for (const claim of claims) {
    if (hasSyncOption(claim.syncOptions, ARGOCD_KEEP_ON_DELETE)) continue;
    try {
      await clients.core.patchNamespacedPersistentVolumeClaim(
        { name: claim.name, namespace, body: keepPatch(claim.syncOptions) },
        mergePatch,
      );
    } catch (error) {
      throw clusterCallError(
        error,
        cluster,
        clients,
        `Marking claim ${claim.name} in ${namespace} to be kept`,
        needs,
      );
    }
  }
  log(
    `Namespace ${namespace} and its ${claims.length} claim(s) carry ${ARGOCD_SYNC_OPTIONS_ANNOTATION}: ${ARGOCD_KEEP_ON_DELETE}: ` +
      'Argo CD keeps them when it deletes the tenant',
  );
  return claims.map(c => c.name);
}
