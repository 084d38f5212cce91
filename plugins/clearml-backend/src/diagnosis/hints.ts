/**
 * The fixes the card names. Each hint says what to change and where, in the
 * words an OpenShift admin types.
 */
import {
  DEFAULT_TIERS,
  Edition,
  SECURITY_PROFILES,
  SecurityProfile,
  Tenant,
  defaultSecurityProfile,
  sccRoleName,
} from '@clearml-openshift/plugin-clearml-common';
import { sccGrantsForTenant } from '@clearml-openshift/plugin-clearml-node';

export const RERUN_TEMPLATE =
  're-run the ClearML tenant template with grants applied';

/** The grant that fixes a refused account, and the security profile that grants it. */
export interface AccountGrant {
  scc: string;
  profile: SecurityProfile;
  /** The renderer's reason for the grant. */
  reason: string;
}

/** A tenant as the values renderer sees it, for the parts that decide grants (the entity does not record its profile). */
function tenantFor(
  edition: Edition,
  release: string,
  namespace: string,
  securityProfile: SecurityProfile,
): Tenant {
  return {
    tenant: 'health-check',
    namespace,
    domain: 'health-check.invalid',
    edition,
    releaseName: release,
    securityProfile,
    exposure: 'route',
    agent: { enabled: true, queue: 'default' },
    appGateway: { enabled: edition === 'enterprise' },
    elasticsearchSysctlInit: false,
    tier: DEFAULT_TIERS[0],
    targetPath: '.',
  };
}

/**
 * The SCC a security profile grants this account, computed by the values
 * renderer's own grant list: the edition's default profile first, then the
 * others. A refused UID 0 needs a profile that grants `anyuid`.
 */
export function grantForAccount(
  edition: Edition,
  release: string,
  namespace: string,
  serviceAccount: string,
  refusedUids: readonly number[] = [],
): AccountGrant | undefined {
  const profiles = [
    defaultSecurityProfile(edition),
    ...SECURITY_PROFILES.filter(p => p !== defaultSecurityProfile(edition)),
  ];
  for (const profile of profiles) {
    if (edition === 'oss' && profile === 'restricted') continue;
    const grant = sccGrantsForTenant(
      tenantFor(edition, release, namespace, profile),
    ).find(g => g.serviceAccount === serviceAccount && g.scc !== 'privileged');
    if (grant && (!refusedUids.includes(0) || grant.scc === 'anyuid'))
      return { scc: grant.scc, profile, reason: grant.reason };
  }
  return undefined;
}

/** The hint for an account no SCC admits: the grant its profile gives it, or what to change when none does. */
export function refusedAccountHint(
  edition: Edition,
  release: string,
  namespace: string,
  serviceAccount: string,
  refusedUids: readonly number[] = [],
): string {
  const grant = grantForAccount(
    edition,
    release,
    namespace,
    serviceAccount,
    refusedUids,
  );
  if (!grant) {
    return (
      `No security profile of this product grants an SCC to ServiceAccount ${serviceAccount}: the pod template was not ` +
      `rendered by it (or was changed). Re-render and re-apply the tenant's values, which run it under restricted-v2.`
    );
  }
  const byDefault = grant.profile === defaultSecurityProfile(edition);
  const note = byDefault
    ? ''
    : `security profile ${grant.profile} grants it (${grant.reason}); under the default profile ` +
      `${defaultSecurityProfile(edition)} the rendered values need no grant for this account`;
  return sccGrantHint(grant.scc, serviceAccount, namespace, note);
}

export function sccGrantHint(
  scc: string,
  serviceAccount: string,
  namespace: string,
  note = '',
): string {
  return (
    `Grant ${scc} to ServiceAccount ${serviceAccount} in ${namespace} ` +
    `(oc adm policy add-scc-to-user ${scc} -z ${serviceAccount} -n ${namespace}, which adds it to RoleBinding ` +
    `${sccRoleName(scc)}), or ${RERUN_TEMPLATE}.${note ? ` Note: ${note}.` : ''}`
  );
}

export function privilegedInitHint(
  containers: string[],
  serviceAccount: string,
  namespace: string,
): string {
  return (
    `The ${containers.join(', ')} init container asks for privileged mode, which no SCC but privileged admits. ` +
    `Re-render the tenant with elasticsearchSysctlInit off (elasticsearch.sysctlInitContainer.enabled: false) and ` +
    `set vm.max_map_count=262144 on the nodes (a Tuned profile or MachineConfig); only if clearml.scc.allowed lists ` +
    `privileged, grant privileged to ServiceAccount ${serviceAccount} in ${namespace} instead.`
  );
}

export function runAsRootHint(
  edition: Edition,
  release: string,
  namespace: string,
  serviceAccount: string,
): string {
  return `The image runs as root, which the admitting SCC forbids. ${refusedAccountHint(edition, release, namespace, serviceAccount, [0])}`;
}

export const WILDCARD_POLICY_HINT =
  "The cluster's IngressController does not admit wildcard Routes: set spec.routeAdmission.wildcardPolicy: " +
  'WildcardsAllowed (oc -n openshift-ingress-operator patch ingresscontroller/default --type=merge ' +
  '-p \'{"spec":{"routeAdmission":{"wildcardPolicy":"WildcardsAllowed"}}}\'), then recreate the Route.';

export function routeRefusalHint(
  reason: string | undefined,
  host: string,
  message = '',
): string | undefined {
  if (/wildcard routes are not allowed/i.test(message))
    return WILDCARD_POLICY_HINT;
  switch (reason) {
    case 'HostAlreadyClaimed':
      return (
        `Another Route (in another namespace, possibly another tenant's wildcard) already claims ${host}. ` +
        `Give this tenant its own domain, or remove the older Route.`
      );
    case 'InvalidHost':
    case 'NoHostValue':
      return `The Route's host ${JSON.stringify(host)} is not a valid host name: re-render the Routes with a DNS-1123 domain (no '*').`;
    case 'ExtendedValidationFailed':
      return "The Route's TLS certificate, key or CA is invalid: fix spec.tls or remove it to use the router's default certificate.";
    default:
      return undefined;
  }
}
