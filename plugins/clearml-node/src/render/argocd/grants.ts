/**
 * The SCC grants as RoleBinding manifests: the same objects `clearml:scc:grant`
 * creates (one `system:openshift:scc:<scc>` binding per SCC, the accounts as
 * subjects), so a grant is reviewed in the pull request like everything else
 * and applied by Argo CD before the chart's pods (sync wave).
 */
import {
  ARGOCD_SYNC_WAVE_ANNOTATION,
  SccGrant,
  SYNC_WAVES,
} from '@clearml-openshift/plugin-clearml-common';
import type { V1RoleBinding } from '@kubernetes/client-node';
import { sccRoleBinding } from '../../cluster/sccRoleBinding';

/** @public */
export function sccGrantManifests(
  namespace: string,
  grants: readonly SccGrant[],
): V1RoleBinding[] {
  const accountsBySCC = new Map<string, string[]>();
  for (const grant of grants) {
    const accounts = accountsBySCC.get(grant.scc) ?? [];
    if (!accounts.includes(grant.serviceAccount))
      accounts.push(grant.serviceAccount);
    accountsBySCC.set(grant.scc, accounts);
  }
  return [...accountsBySCC].map(([scc, accounts]) => {
    const binding = sccRoleBinding(scc, namespace, accounts);
    binding.metadata = {
      ...binding.metadata,
      annotations: { [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.grants) },
    };
    return binding;
  });
}
