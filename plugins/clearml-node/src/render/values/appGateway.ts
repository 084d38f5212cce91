/**
 * Values for the private `clearml-enterprise-app-gateway` chart (ClearML's
 * OpenShift guide, "ClearML Application Gateway"). The chart names its Service after the
 * release; `fullnameOverride` pins it so the Route (routes.yaml) and the health
 * check find it under the name clearml-common gives it.
 */
import {
  appGatewayNames,
  Tenant,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';
import { ValuesPart } from './files';

/** The gateway's base host, `appgw.<domain>`: the wildcard `*.appgw.<domain>` without its `*.`. */
export function appGatewayBaseHost(domain: string): string {
  return tenantHosts(domain).appGateway.replace(/^\*\./, '');
}

export function appGatewayValues(tenant: Tenant): ValuesPart {
  const names = appGatewayNames(tenant.releaseName);
  const ingress =
    tenant.exposure === 'route'
      ? { enabled: false }
      : {
          enabled: true,
          ...(tenant.ingressClassName
            ? { className: tenant.ingressClassName }
            : {}),
          hostname: appGatewayBaseHost(tenant.domain),
          ...(tenant.tlsSecretName
            ? { tlsSecretName: tenant.tlsSecretName }
            : {}),
        };
  return {
    values: { fullnameOverride: names.service, ingress },
    deviations: [
      `fullnameOverride: ${names.service} pins the app gateway's Service name (ClearML's OpenShift guide leaves it to the release name, which its Route must then guess)`,
    ],
  };
}
