/**
 * What OpenShift's ingress-to-route controller makes of an Ingress's TLS, per host
 * (openshift/route-controller-manager, pkg/route/ingress/ingress.go: `tlsEnabled`, `tlsConfigForIngress`,
 * `terminationPolicyForIngress`): TLS when the `route.openshift.io/termination` annotation is edge, reencrypt or
 * passthrough, when a `tls` entry names a secret for the host, or when an entry is exactly `{}`; otherwise the
 * Route is plain HTTP. A `tls` entry with hosts but no secret does not turn TLS on.
 */
import { KubeObject } from './argocdSync';

const TERMINATION = 'route.openshift.io/termination';
const TERMINATIONS = ['edge', 'reencrypt', 'passthrough'];

export interface IngressRouteTls {
  host: string;
  /** undefined: the Route is plain HTTP. */
  termination?: string;
  /** The secret whose certificate the Route carries; undefined: the router's default certificate. */
  secretName?: string;
}

export function ingressRouteTls(ingress: KubeObject): IngressRouteTls[] {
  const annotation: string = ingress.metadata?.annotations?.[TERMINATION] ?? '';
  const tls: any[] = ingress.spec?.tls ?? [];
  return (ingress.spec?.rules ?? []).map((rule: any) => {
    const host: string = rule.host;
    const secretName = tls.find(
      t => t.secretName && (t.hosts ?? []).includes(host),
    )?.secretName;
    const enabled =
      TERMINATIONS.includes(annotation) ||
      secretName !== undefined ||
      tls.some(t => Object.keys(t).length === 0);
    if (!enabled) return { host };
    const termination = TERMINATIONS.includes(annotation) ? annotation : 'edge';
    return {
      host,
      termination,
      ...(termination !== 'passthrough' && secretName ? { secretName } : {}),
    };
  });
}
