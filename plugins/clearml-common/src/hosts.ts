/**
 * Public host names of a tenant, all derived from its domain.
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

/** @public */
export function tenantHosts(domain: string): TenantHosts {
  return {
    api: `api.${domain}`,
    files: `files.${domain}`,
    web: `app.${domain}`,
    appGateway: `*.appgw.${domain}`,
  };
}

/**
 * The host the app gateway's Route carries: a concrete name that, with `wildcardPolicy: Subdomain`, serves `*.appgw.<domain>`.
 *
 * @public
 */
export function appGatewayRouteHost(domain: string): string {
  return `${APP_GATEWAY_ROUTE_LABEL}.appgw.${domain}`;
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
 * The domain a tenant gets when none is given: `<tenant>.clearml.<appsDomain>`.
 *
 * @public
 */
export function defaultTenantDomain(
  tenant: string,
  appsDomain: string,
): string {
  return `${tenant}.clearml.${appsDomain}`;
}
