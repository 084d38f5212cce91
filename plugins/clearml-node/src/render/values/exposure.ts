/**
 * The charts' Ingress settings (seed 000, "Option 1"/"Option 2"): off when
 * OpenShift Routes expose the tenant (routes.yaml), on with the tenant's host
 * otherwise. The same shape serves the open-source and enterprise server charts.
 */
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import { Values } from './files';

export function serverIngressValues(tenant: Tenant, host: string): Values {
  if (tenant.exposure === 'route') return { enabled: false };
  return {
    enabled: true,
    ...(tenant.ingressClassName ? { ingressClassName: tenant.ingressClassName } : {}),
    hostName: host,
    ...(tenant.tlsSecretName ? { tlsSecretName: tenant.tlsSecretName } : {}),
  };
}
