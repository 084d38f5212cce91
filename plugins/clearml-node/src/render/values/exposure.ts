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

/**
 * OpenShift's ingress-to-route controller makes a TLS Route from an Ingress only when the Ingress names a secret for
 * the host, has an empty `tls: [{}]` entry, or carries this annotation (openshift/route-controller-manager,
 * pkg/route/ingress/ingress.go, `tlsEnabled`); otherwise its Route is plain HTTP. The charts render `tls` only with
 * a `tlsSecretName`, so every Ingress carries `edge`: without a secret the Route is served with the router's
 * default certificate (`*.<apps domain>`, which covers the tenant's hosts), and HTTP redirects to HTTPS.
 */
export const INGRESS_TERMINATION_ANNOTATIONS: Readonly<Record<string, string>> =
  {
    'route.openshift.io/termination': 'edge',
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
    annotations: { ...INGRESS_TERMINATION_ANNOTATIONS, ...annotations },
  };
}
