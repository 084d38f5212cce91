/**
 * OpenShift Routes of a tenant: one per server component and, with the
 * enterprise app gateway, one wildcard Route. Pure: a resolved tenant in,
 * Route objects and the `routes.yaml` they are written to out.
 */
import {
  CertificateSettings,
  routeCertificateSecret,
} from '../certificates/certificates';
import {
  ARGOCD_SYNC_WAVE_ANNOTATION,
  appGatewayNames,
  appGatewayRouteHost,
  SERVER_COMPONENTS,
  SYNC_WAVES,
  serverNames,
  ServerComponent,
  Tenant,
  TenantComponent,
  tenantHosts,
  tenantObjectLabels,
} from '@clearml-openshift/plugin-clearml-common';
import { RenderedFile, renderYamlStream } from '../yaml';
import { OpenShiftRoute } from './types';

/** Name of the file the Routes are written to, relative to the action's `targetPath`. */
export const ROUTES_FILE_NAME = 'routes.yaml';

/** The router's timeout annotation; its default (30s) cuts off large uploads to the fileserver. */
export const ROUTER_TIMEOUT_ANNOTATION = 'haproxy.router.openshift.io/timeout';
export const FILESERVER_ROUTE_TIMEOUT = '600s';

/**
 * Public hosts of a tenant as the routes action reports them; `appGateway` only when the gateway is enabled.
 *
 * @public
 */
export interface RouteHosts {
  api: string;
  files: string;
  web: string;
  /** The wildcard the gateway serves (`*.appgw.<domain>`), for DNS; the Route itself carries `wildcard.appgw.<domain>`. */
  appGateway?: string;
}

/** @public */
export interface RenderedRoutes {
  routes: OpenShiftRoute[];
  hosts: RouteHosts;
  /** `routes.yaml`; absent in ingress mode, where the charts' Ingresses expose the tenant. */
  file?: RenderedFile;
}

const HOST_OF: Record<ServerComponent, keyof Omit<RouteHosts, 'appGateway'>> = {
  apiserver: 'api',
  fileserver: 'files',
  webserver: 'web',
};

function route(options: {
  tenant: Tenant;
  component: TenantComponent;
  instance: string;
  service: string;
  host: string;
  targetPort: number;
  wildcardPolicy: 'None' | 'Subdomain';
  annotations?: Record<string, string>;
  /** A Secret in the namespace that serves the Route (`spec.tls.externalCertificate`); none: the router's default. */
  certificateSecret?: string;
}): OpenShiftRoute {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: {
      name: options.service,
      namespace: options.tenant.namespace,
      labels: tenantObjectLabels({
        tenant: options.tenant.tenant,
        component: options.component,
        instance: options.instance,
      }),
      // Argo CD applies Routes after the chart's Services (sync wave), in the server Application.
      annotations: {
        [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.routes),
        ...options.annotations,
      },
    },
    spec: {
      host: options.host,
      path: '/',
      to: { kind: 'Service', name: options.service, weight: 100 },
      // Numeric: must match the pod's container port (the Service port would give 503 for the OSS webserver).
      port: { targetPort: options.targetPort },
      tls: {
        termination: 'edge',
        insecureEdgeTerminationPolicy: 'Redirect',
        ...(options.certificateSecret
          ? { externalCertificate: { name: options.certificateSecret } }
          : {}),
      },
      // Written out although it is the API default, so a GitOps diff against the live object stays empty.
      wildcardPolicy: options.wildcardPolicy,
    },
  };
}

function header(
  tenant: Tenant,
  hosts: RouteHosts,
  certificateSecret: string | undefined,
): string[] {
  const lines = [
    `OpenShift Routes of ClearML tenant '${tenant.tenant}' (namespace ${tenant.namespace}, ` +
      `edition ${tenant.edition}, release ${tenant.releaseName}).`,
    'Rendered by the Backstage action clearml:routes:render; apply together with the chart values beside it.',
    `Hosts: ${hosts.api}, ${hosts.files}, ${hosts.web}${hosts.appGateway ? `, ${hosts.appGateway} (app gateway)` : ''}.`,
    '',
    "These replace the Routes in ClearML's OpenShift guide, which differ:",
    '- every host is derived from the tenant domain; the guide mixes in 127-0-0-1.nip.io hosts;',
    tenant.edition === 'oss'
      ? '- the webserver Route targets container port 80: the open-source webserver listens on 80 behind an unnamed' +
        ' Service port 8080, and a Route to 8080 answers 503;'
      : '- targetPort is the container port of each component (apiserver 8008, fileserver 8081, webserver 8080);',
    `- the fileserver Route sets ${ROUTER_TIMEOUT_ANNOTATION}: ${FILESERVER_ROUTE_TIMEOUT} for uploads (router default 30s);`,
    `- TLS is edge-terminated and plain HTTP is redirected to HTTPS${tenant.appGateway.enabled ? ';' : '.'}`,
  ];
  if (tenant.appGateway.enabled) {
    lines.push(
      '- the app gateway Route carries a concrete host (wildcard.appgw.<domain>) with wildcardPolicy: Subdomain;',
      "  the guide's host '*.appgw...' is rejected by the API server. It serves *.appgw.<domain>, not appgw.<domain>.",
      '',
      'App gateway prerequisites:',
      '- the IngressController must set spec.routeAdmission.wildcardPolicy: WildcardsAllowed, else the Route',
      "  is not admitted (RouteNotAdmitted: 'wildcard routes are not allowed');",
      '- wildcardPolicy cannot be changed after creation: to change it, delete the Route and create it again;',
      '- a wildcard Route claims the whole subdomain: every tenant needs its own domain.',
    );
  }
  lines.push(
    '',
    ...(certificateSecret
      ? [
          `Certificates: every Route is served with Secret ${certificateSecret} (spec.tls.externalCertificate,`,
          'clearml.certificates); certificates.yaml lets the router read it.',
        ]
      : [
          'Certificates: with no certificate in a Route, the router serves its default one, usually *.<apps domain>.',
          'A wildcard certificate covers one label only: hosts deeper under the apps domain need a certificate of their own.',
        ]),
  );
  return lines;
}

/**
 * Renders a tenant's Routes. In ingress mode there are none, and no file.
 *
 * @public
 */
export function renderRoutes(
  tenant: Tenant,
  certificates: CertificateSettings = { mode: 'routerDefault' },
): RenderedRoutes {
  const certificateSecret = routeCertificateSecret(certificates);
  const allHosts = tenantHosts(tenant.domain);
  const hosts: RouteHosts = {
    api: allHosts.api,
    files: allHosts.files,
    web: allHosts.web,
    ...(tenant.appGateway.enabled ? { appGateway: allHosts.appGateway } : {}),
  };
  if (tenant.exposure === 'ingress') return { routes: [], hosts };

  const names = serverNames(tenant.edition, tenant.releaseName);
  const routes = SERVER_COMPONENTS.map(component =>
    route({
      tenant,
      component,
      instance: tenant.releaseName,
      service: names.services[component],
      host: hosts[HOST_OF[component]],
      targetPort: names.containerPorts[component],
      wildcardPolicy: 'None',
      certificateSecret,
      ...(component === 'fileserver'
        ? {
            annotations: {
              [ROUTER_TIMEOUT_ANNOTATION]: FILESERVER_ROUTE_TIMEOUT,
            },
          }
        : {}),
    }),
  );
  if (tenant.appGateway.enabled) {
    const gateway = appGatewayNames(tenant.releaseName);
    routes.push(
      route({
        tenant,
        component: 'app-gateway',
        instance: gateway.release,
        service: gateway.service,
        host: appGatewayRouteHost(tenant.domain),
        targetPort: gateway.port,
        wildcardPolicy: 'Subdomain',
        certificateSecret,
      }),
    );
  }
  return {
    routes,
    hosts,
    file: {
      path: ROUTES_FILE_NAME,
      content: renderYamlStream(
        routes,
        header(tenant, hosts, certificateSecret),
      ),
    },
  };
}
