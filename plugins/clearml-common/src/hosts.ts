import { isDns1123Subdomain } from './dns';

/**
 * Public host names of a tenant, all derived from its domain, each one DNS
 * label directly under the domain's parent: `clearml-acme.apps.<cluster>` gives
 * `clearml-acme-app.apps.<cluster>`, `clearml-acme-api.…` and
 * `clearml-acme-files.…`, which the OpenShift router's default certificate
 * (`*.apps.<cluster>`) covers; a wildcard certificate matches exactly one
 * label (RFC 6125 §6.4.3), so `app.acme.clearml.apps.<cluster>` would not be.
 *
 * @public
 */

export interface TenantHosts {
  api: string;
  files: string;
  web: string;
  /** The wildcard the app gateway serves (`*.appgw.<domain>`), for people and DNS. */
  appGateway: string;
}

/**
 * The API server rejects a Route host containing `*`. A wildcard Route uses any
 * label under the subdomain plus `wildcardPolicy: Subdomain`; this is that label.
 */
export const APP_GATEWAY_ROUTE_LABEL = 'wildcard';

/** The label suffix of each host: `<first label of the domain>-<suffix>`.
 *
 * @public
 */
export const TENANT_HOST_SUFFIXES = {
  api: 'api',
  files: 'files',
  web: 'app',
  appGateway: 'appgw',
} as const;

function splitDomain(domain: string): { label: string; parent: string } {
  const dot = domain.indexOf('.');
  return dot < 0
    ? { label: domain, parent: '' }
    : { label: domain.slice(0, dot), parent: domain.slice(dot + 1) };
}

function hostFor(domain: string, suffix: string): string {
  const { label, parent } = splitDomain(domain);
  return parent ? `${label}-${suffix}.${parent}` : `${label}-${suffix}`;
}

/**
 * The parent domain the tenant's hosts sit directly under (`apps.<cluster>` for `clearml-acme.apps.<cluster>`):
 * the wildcard `*.<parent>` covers every host but the app gateway's subdomain.
 *
 * @public
 */
export function tenantHostParent(domain: string): string {
  return splitDomain(domain).parent;
}

/** @public */
export function tenantHosts(domain: string): TenantHosts {
  return {
    api: hostFor(domain, TENANT_HOST_SUFFIXES.api),
    files: hostFor(domain, TENANT_HOST_SUFFIXES.files),
    web: hostFor(domain, TENANT_HOST_SUFFIXES.web),
    appGateway: `*.${hostFor(domain, TENANT_HOST_SUFFIXES.appGateway)}`,
  };
}

/**
 * Whether a certificate name (`*.apps.x` or `host.apps.x`) covers a host: equal, or a wildcard that stands for
 * exactly its first label (RFC 6125 §6.4.3; browsers and OpenSSL match no deeper).
 *
 * @public
 */
export function certificateCovers(name: string, host: string): boolean {
  const n = name.toLowerCase();
  const h = host.toLowerCase();
  if (!n.startsWith('*.')) return n === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

/**
 * The host the app gateway's Route carries: a concrete name that, with `wildcardPolicy: Subdomain`, serves `*.appgw.<domain>`.
 *
 * @public
 */
export function appGatewayRouteHost(domain: string): string {
  return `${APP_GATEWAY_ROUTE_LABEL}.${hostFor(domain, TENANT_HOST_SUFFIXES.appGateway)}`;
}

/**
 * Public URLs of a tenant (edge TLS on every Route).
 *
 * @public
 */
export function tenantUrls(domain: string): {
  api: string;
  files: string;
  web: string;
} {
  const hosts = tenantHosts(domain);
  return {
    api: `https://${hosts.api}`,
    files: `https://${hosts.files}`,
    web: `https://${hosts.web}`,
  };
}

/**
 * The domain a tenant gets when none is given: `clearml-<tenant>.<appsDomain>`, so its hosts
 * (`clearml-<tenant>-app.<appsDomain>`, …) are one label under the apps domain the router's certificate covers.
 *
 * @public
 */
export function defaultTenantDomain(
  tenant: string,
  appsDomain: string,
): string {
  return `clearml-${tenant}.${appsDomain}`;
}

/**
 * The refusal of a tenant domain (`domain: …`), or undefined when its hosts
 * can be derived from it: no wildcard, a DNS-1123 subdomain short enough for
 * the longest derived host, and a parent the hosts sit directly under.
 */
export function tenantDomainProblem(domain: string): string | undefined {
  if (domain.includes('*')) {
    return `domain: must not contain '*': the API server rejects wildcard hosts; the app gateway's wildcard is derived from the domain (got ${JSON.stringify(domain)})`;
  }
  if (
    !isDns1123Subdomain(domain) ||
    !isDns1123Subdomain(appGatewayRouteHost(domain)) ||
    appGatewayRouteHost(domain)
      .split('.')
      .some(label => label.length > 63)
  ) {
    return `domain: must be a DNS-1123 subdomain (lower-case labels of letters, digits and '-', separated by '.', no spaces), short enough for the hosts derived from it ('${appGatewayRouteHost('<label>.<parent>')}': labels of at most 63, 253 characters in all) (got ${JSON.stringify(domain)})`;
  }
  if (!tenantHostParent(domain)) {
    return `domain: needs a parent domain: the tenant's hosts are '<first label>-app', '-api', '-files' directly under it, e.g. clearml-acme.apps.<cluster> (got ${JSON.stringify(domain)})`;
  }
  return undefined;
}
