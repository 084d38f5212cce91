/**
 * Object names, ports and ServiceAccounts per edition and release, as the
 * ClearML charts derive them. Every renderer, the grant action and the health
 * backend read names from here; nothing else spells them.
 */
import { Edition } from './editions';

/**
 * Chart names per edition (the server, agent and app gateway charts).
 *
 * @public
 */
export const CHART_NAMES = {
  oss: { server: 'clearml', agent: 'clearml-agent' },
  enterprise: {
    server: 'clearml-enterprise',
    agent: 'clearml-enterprise-agent',
    appGateway: 'clearml-enterprise-app-gateway',
  },
} as const;

/**
 * Chart versions the rendered values target, and the default of
 * `clearml.charts`: the newest public charts known to install on today's
 * OpenShift (4.19, Kubernetes 1.32); their kubeVersion ranges are in charts.ts.
 *
 * @public
 */
export const CHART_VERSIONS = {
  oss: { server: '7.14.4', agent: '5.3.2' },
} as const;

/** Helm's `fullname` helper: the release if it already contains the chart name, else `<release>-<chart>`, cut to 63. */
export function helmFullname(release: string, chart: string): string {
  const name = release.includes(chart) ? release : `${release}-${chart}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

/**
 * The server components exposed through Routes.
 *
 * @public
 */
export const SERVER_COMPONENTS = [
  'apiserver',
  'fileserver',
  'webserver',
] as const;
/** @public */
export type ServerComponent = (typeof SERVER_COMPONENTS)[number];

/**
 * Container ports, which a Route's numeric `targetPort` must match. The
 * open-source webserver listens on 80 behind an unnamed Service port 8080: a
 * Route to 8080 would give 503.
 */
const CONTAINER_PORTS: Record<Edition, Record<ServerComponent, number>> = {
  oss: { apiserver: 8008, fileserver: 8081, webserver: 80 },
  enterprise: { apiserver: 8008, fileserver: 8081, webserver: 8080 },
};

/** Service ports (what in-cluster clients dial). */
const SERVICE_PORTS: Record<Edition, Record<ServerComponent, number>> = {
  oss: { apiserver: 8008, fileserver: 8081, webserver: 8080 },
  enterprise: { apiserver: 8008, fileserver: 8081, webserver: 8080 },
};

/**
 * The app gateway's container and Service port (ClearML's OpenShift guide).
 *
 * @public
 */
export const APP_GATEWAY_PORT = 8080;

/** @public */
export interface ServerNames {
  /** The chart's fullname for this release. */
  fullname: string;
  /** Service and Deployment name per server component. */
  services: Record<ServerComponent, string>;
  /** Deployment of the async-delete worker. */
  asyncDelete: string;
  containerPorts: Record<ServerComponent, number>;
  servicePorts: Record<ServerComponent, number>;
  /** ServiceAccount each server component's pods run as. */
  serviceAccounts: Record<ServerComponent, string>;
  mongodb: { deployment: string; serviceAccount: string };
  redis: { statefulSet: string; serviceAccount: string };
  elasticsearch: { statefulSet: string; serviceAccount: string };
}

/**
 * Elasticsearch subchart: `clusterName` + `-master` names both its StatefulSet and (with rbac.create) its ServiceAccount.
 *
 * @public
 */
export const ELASTICSEARCH_CLUSTER_NAME = 'clearml-elastic';

/**
 * The open-source chart fixes `*.serviceAccountName: clearml`, and names each
 * component's ServiceAccount `<serviceAccountName>-<component>`.
 */
export const OSS_SERVICE_ACCOUNT_PREFIX = 'clearml';

/** @public */
export function serverNames(edition: Edition, release: string): ServerNames {
  const fullname = helmFullname(release, CHART_NAMES[edition].server);
  const services = {
    apiserver: `${fullname}-apiserver`,
    fileserver: `${fullname}-fileserver`,
    webserver: `${fullname}-webserver`,
  };
  // Enterprise ServiceAccounts follow the component names (an assumption the
  // README asks platform teams to check against their chart version).
  const serviceAccounts =
    edition === 'oss'
      ? {
          apiserver: `${OSS_SERVICE_ACCOUNT_PREFIX}-apiserver`,
          fileserver: `${OSS_SERVICE_ACCOUNT_PREFIX}-fileserver`,
          webserver: `${OSS_SERVICE_ACCOUNT_PREFIX}-webserver`,
        }
      : services;
  const elastic = `${ELASTICSEARCH_CLUSTER_NAME}-master`;
  return {
    fullname,
    services,
    asyncDelete: `${fullname}-apiserver-asyncdelete`,
    containerPorts: CONTAINER_PORTS[edition],
    servicePorts: SERVICE_PORTS[edition],
    serviceAccounts,
    mongodb: {
      deployment: `${release}-mongodb`,
      serviceAccount: `${release}-mongodb`,
    },
    redis: {
      statefulSet: `${release}-redis-master`,
      serviceAccount: `${release}-redis`,
    },
    elasticsearch: { statefulSet: elastic, serviceAccount: elastic },
  };
}

/** Release name of a tenant's k8s glue agent. */
export function agentReleaseName(release: string): string {
  return `${release}-agent`;
}

/** @public */
export interface AgentNames {
  release: string;
  /** Deployment name (the chart's fullname). */
  deployment: string;
  /** ServiceAccount of the agent and of the task pods it starts. */
  serviceAccount: string;
}

/** @public */
export function agentNames(edition: Edition, release: string): AgentNames {
  const agentRelease = agentReleaseName(release);
  const deployment = helmFullname(agentRelease, CHART_NAMES[edition].agent);
  return {
    release: agentRelease,
    deployment,
    serviceAccount: `${deployment}-sa`,
  };
}

/** @public */
export interface AppGatewayNames {
  release: string;
  /** Service and Deployment name: the chart names them after the release, pinned through `fullnameOverride`. */
  service: string;
  port: number;
}

/** @public */
export function appGatewayNames(release: string): AppGatewayNames {
  const name = `${release}-app-gateway`;
  return { release: name, service: name, port: APP_GATEWAY_PORT };
}

/**
 * The Secret the open-source chart creates with its public default keys (`clearml-conf`), which the API server
 * reads unless `clearml.existingSecret` names the tenant's own.
 *
 * @public
 */
export const CHART_DEFAULT_CREDENTIALS_SECRET = 'clearml-conf';
