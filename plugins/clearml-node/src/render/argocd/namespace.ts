/**
 * The tenant's Namespace as a manifest: owned by the tenant (the
 * `clear.ml/tenant` label the actions and the health API check), first in the
 * server Application's sync, and handed to the Argo CD instance that manages
 * it (OpenShift GitOps grants that instance admin in namespaces labelled so).
 */
import {
  ARGOCD_SYNC_WAVE_ANNOTATION,
  SYNC_WAVES,
  Tenant,
  tenantOwnerLabels,
} from '@clearml-openshift/plugin-clearml-common';
import type { V1Namespace } from '@kubernetes/client-node';

/**
 * OpenShift GitOps' label: the Argo CD instance in that namespace may manage this one.
 *
 * @public
 */
export const ARGOCD_MANAGED_BY_LABEL = 'argocd.argoproj.io/managed-by';

/** @public */
export function tenantNamespaceManifest(
  tenant: Tenant,
  argocdNamespace: string,
): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: tenant.namespace,
      labels: {
        ...tenantOwnerLabels(tenant.tenant),
        [ARGOCD_MANAGED_BY_LABEL]: argocdNamespace,
      },
      annotations: {
        [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.namespace),
      },
    },
  };
}
