/**
 * A tenant's Argo CD Applications without the shared view: one list in Argo
 * CD's namespace, selected by the tenant's label (clear.ml/tenant). Answers
 * as `ClusterView.applications` does: the items, or why they cannot be told.
 */
import {
  ClearmlCluster,
  KubernetesClients,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import { TENANT_OWNER_LABEL } from '@clearml-openshift/plugin-clearml-common';
import { applicationsRead, listRead } from './reads';

export async function readTenantApplications(
  clients: KubernetesClients,
  cluster: ClearmlCluster,
  argocdNamespace: string,
  tenant: string,
): Promise<{ items: any[] } | { unavailable: string }> {
  const read = applicationsRead(argocdNamespace);
  try {
    const list = await listRead(
      clients,
      { ...read, labelSelector: `${TENANT_OWNER_LABEL}=${tenant}` },
      read.namespace,
    );
    return { items: list.items };
  } catch (error) {
    const failure = describeKubernetesError(error, cluster, {
      timeoutMs: clients.timeoutMs,
    });
    if (failure.httpStatus === 404)
      return {
        unavailable: `The cluster serves no Argo CD Applications (argoproj.io/v1alpha1): ${failure.message}`,
      };
    return {
      unavailable: `Argo CD Applications could not be read in ${read.namespace}: ${failure.message}`,
    };
  }
}
