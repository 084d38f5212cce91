/**
 * The charts' Ingress settings (ClearML's OpenShift guide, "Option 1"/"Option 2"): off when
 * OpenShift Routes expose the tenant (routes.yaml), on with the tenant's host
 * otherwise. The same shape serves the open-source and enterprise server charts.
 */
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import {
  FILESERVER_ROUTE_TIMEOUT,
  ROUTER_TIMEOUT_ANNOTATION,
} from '../routes/routes';
import { Values } from './files';

/**
 * `annotations` of the fileserver's Ingress: OpenShift copies an Ingress's
 * annotations to the Route it makes from it, so uploads get the same 600 s
 * router timeout as in Route mode (the default 30 s cuts off large uploads).
 */
export const FILESERVER_INGRESS_ANNOTATIONS: Readonly<Record<string, string>> =
  {
    [ROUTER_TIMEOUT_ANNOTATION]: FILESERVER_ROUTE_TIMEOUT,
  };

export function serverIngressValues(
  tenant: Tenant,
  host: string,
  annotations?: Record<string, string>,
): Values {
  if (tenant.exposure === 'route') return { enabled: false };
  return {
    enabled: true,
    ...(tenant.ingressClassName
      ? { ingressClassName: tenant.ingressClassName }
      : {}),
    hostName: host,
    ...(tenant.tlsSecretName ? { tlsSecretName: tenant.tlsSecretName } : {}),
    ...(annotations ? { annotations: { ...annotations } } : {}),
  };
}
