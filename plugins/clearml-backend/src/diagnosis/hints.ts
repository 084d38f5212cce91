/**
 * The fixes the card names. Each hint says what to change and where, in the
 * words an OpenShift admin types.
 */
import { Edition, sccRoleName } from '@clearml-openshift/plugin-clearml-common';
import { SccRefusal } from './sccRefusal';

export const RERUN_TEMPLATE = 're-run the ClearML tenant template with grants applied';

/**
 * The SCC a tenant's security profile grants to an account that needs one:
 * the open-source server runs as root (`anyuid`, its default profile); an
 * enterprise tenant that needs a grant runs the `nonroot` profile
 * (`nonroot-v2`), unless the refused pod pins UID 0.
 */
export function sccForRefusedAccount(edition: Edition, refusal?: Pick<SccRefusal, 'refusedUids'>): string {
  if (edition === 'oss' || refusal?.refusedUids.includes(0)) return 'anyuid';
  return 'nonroot-v2';
}

export function sccGrantHint(scc: string, serviceAccount: string, namespace: string): string {
  return (
    `Grant ${scc} to ServiceAccount ${serviceAccount} in ${namespace} ` +
    `(oc adm policy add-scc-to-user ${scc} -z ${serviceAccount} -n ${namespace}, which adds it to RoleBinding ` +
    `${sccRoleName(scc)}), or ${RERUN_TEMPLATE}.`
  );
}

export function privilegedInitHint(containers: string[], serviceAccount: string, namespace: string): string {
  return (
    `The ${containers.join(', ')} init container asks for privileged mode, which no SCC but privileged admits. ` +
    `Re-render the tenant with elasticsearchSysctlInit off (elasticsearch.sysctlInitContainer.enabled: false) and ` +
    `set vm.max_map_count=262144 on the nodes (a Tuned profile or MachineConfig); only if clearml.scc.allowed lists ` +
    `privileged, grant privileged to ServiceAccount ${serviceAccount} in ${namespace} instead.`
  );
}

export function runAsRootHint(scc: string, serviceAccount: string, namespace: string): string {
  return `The image runs as root, which the admitting SCC forbids. ${sccGrantHint(scc, serviceAccount, namespace)}`;
}

export const WILDCARD_POLICY_HINT =
  'The cluster\'s IngressController does not admit wildcard Routes: set spec.routeAdmission.wildcardPolicy: ' +
  'WildcardsAllowed (oc -n openshift-ingress-operator patch ingresscontroller/default --type=merge ' +
  '-p \'{"spec":{"routeAdmission":{"wildcardPolicy":"WildcardsAllowed"}}}\'), then recreate the Route.';

export function routeRefusalHint(reason: string | undefined, host: string, message = ''): string | undefined {
  if (/wildcard routes are not allowed/i.test(message)) return WILDCARD_POLICY_HINT;
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
