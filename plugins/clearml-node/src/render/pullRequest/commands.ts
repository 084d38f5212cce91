/**
 * The `oc` commands the description gives a cluster admin, for when the
 * template did not apply the grants and Argo CD may not: every argument
 * shell-quoted.
 */
import {
  SccGrant,
  tenantOwnerLabels,
} from '@clearml-openshift/plugin-clearml-common';
import type { PullRequestSummary } from './description';
import { shellQuote } from './markdown';

/**
 * The `oc` command that applies one grant, for an admin when the template did not; every argument quoted.
 *
 * @public
 */
export function sccGrantCommand(
  grant: Pick<SccGrant, 'scc' | 'serviceAccount'>,
  namespace: string,
): string {
  return `oc adm policy add-scc-to-user ${shellQuote(grant.scc)} -z ${shellQuote(grant.serviceAccount)} -n ${shellQuote(namespace)}`;
}

/**
 * The `oc` command that makes the tenant's namespace exist, labelled for its
 * tenant, whether or not it exists yet (client-side apply: create, or add the
 * labels). Before the merge the namespace does not exist, and
 * `oc adm policy add-scc-to-user … -n <ns>` fails with `namespaces "<ns>" not found`;
 * so every suggested grant command comes after this one.
 *
 * @public
 */
export function tenantNamespaceCommand(
  namespace: string,
  tenant: string,
): string {
  const labels = Object.entries(tenantOwnerLabels(tenant))
    .map(([key, value]) => shellQuote(`${key}=${value}`))
    .join(' ');
  return (
    `oc create namespace ${shellQuote(namespace)} --dry-run=client -o yaml | ` +
    `oc label --local -f - ${labels} -o yaml | oc apply -f -`
  );
}

/** The commands an admin runs to apply the grants now: the namespace first, then each grant. */
export function grantCommands(
  summary: PullRequestSummary,
  tenant: string,
): string[] {
  return [
    tenantNamespaceCommand(summary.namespace, tenant),
    ...summary.sccGrants.map(g => sccGrantCommand(g, summary.namespace)),
  ];
}
