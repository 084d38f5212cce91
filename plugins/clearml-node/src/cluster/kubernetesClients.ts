/**
 * Cluster config → KubeConfig → API clients, with a per-request timeout so a
 * dead or hung API server fails in seconds instead of hanging a task.
 */
import fs from 'node:fs';
import {
  ApisApi,
  AppsV1Api,
  AuthorizationV1Api,
  Configuration,
  CoreApi,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  Middleware,
  RbacAuthorizationV1Api,
  ServerConfiguration,
  StorageV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import type { ClearmlCluster } from './clusters';

/**
 * Which credential of a cluster to use: the read-only token or the grant token.
 *
 * @public
 */
export type ClusterCredential = 'read' | 'grant';

/** How long one request may take unless the cluster or caller says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** @public */
export interface KubernetesClients {
  cluster: { name: string; url: string };
  credential: ClusterCredential;
  timeoutMs: number;
  core: CoreV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
  /** SelfSubjectAccessReviews: what this credential may do. */
  authorization: AuthorizationV1Api;
  customObjects: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** `GET /version`: the cluster's Kubernetes version (which chart versions install there). */
  version: VersionApi;
  /** StorageClasses: which ones a tenant's claims can name. */
  storage: StorageV1Api;
  /** Discovery (`/api`, `/apis`): which API group/versions the cluster serves. */
  discovery: { core: CoreApi; apis: ApisApi };
}

/**
 * Builds the clients for one cluster and credential; injectable so tests and other runtimes can supply their own.
 *
 * @public
 */
export type KubernetesClientFactory = (
  cluster: ClearmlCluster,
  credential: ClusterCredential,
) => KubernetesClients;

/**
 * The token of a credential; never logged, never put in a message.
 *
 * @public
 */
export function clusterToken(
  cluster: ClearmlCluster,
  credential: ClusterCredential,
): string | undefined {
  return credential === 'grant'
    ? cluster.grantToken
    : cluster.serviceAccountToken;
}

/** @public */
export function buildKubeConfig(
  cluster: ClearmlCluster,
  credential: ClusterCredential,
): KubeConfig {
  const token = clusterToken(cluster, credential);
  if (!token) {
    const key = credential === 'grant' ? 'grantToken' : 'serviceAccountToken';
    throw new Error(
      `Cluster '${cluster.name}' has no ${key} in ${cluster.source}`,
    );
  }
  if (cluster.caFile) {
    try {
      fs.accessSync(cluster.caFile, fs.constants.R_OK);
    } catch {
      throw new Error(
        `Cluster '${cluster.name}': caFile '${cluster.caFile}' cannot be read`,
      );
    }
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify,
        ...(cluster.caData ? { caData: cluster.caData } : {}),
        ...(cluster.caFile ? { caFile: cluster.caFile } : {}),
      },
    ],
    users: [{ name: `${cluster.name}-${credential}`, token }],
    contexts: [
      {
        name: cluster.name,
        cluster: cluster.name,
        user: `${cluster.name}-${credential}`,
      },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

/** Gives every request its own deadline: covers connect, TLS, headers and body. */
function timeoutMiddleware(timeoutMs: number): Middleware {
  return {
    pre: async context => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return context;
    },
    post: async response => response,
  };
}

function apiConfiguration(kc: KubeConfig, timeoutMs: number): Configuration {
  return createConfiguration({
    baseServer: new ServerConfiguration(kc.getCurrentCluster()!.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [timeoutMiddleware(timeoutMs)],
  });
}

/** @public */
export function createKubernetesClients(
  cluster: ClearmlCluster,
  credential: ClusterCredential,
  options: { timeoutMs?: number } = {},
): KubernetesClients {
  const kc = buildKubeConfig(cluster, credential);
  const timeoutMs =
    options.timeoutMs ?? cluster.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const configuration = apiConfiguration(kc, timeoutMs);
  const objects = new KubernetesObjectApi(configuration);
  return {
    cluster: { name: cluster.name, url: cluster.url },
    credential,
    timeoutMs,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    rbac: new RbacAuthorizationV1Api(configuration),
    authorization: new AuthorizationV1Api(configuration),
    customObjects: new CustomObjectsApi(configuration),
    objects,
    version: new VersionApi(configuration),
    storage: new StorageV1Api(configuration),
    discovery: {
      core: new CoreApi(configuration),
      apis: new ApisApi(configuration),
    },
  };
}

/**
 * The production factory: real clients from config, default timeout unless given.
 *
 * @public
 */
export function kubernetesClientFactory(
  options: { timeoutMs?: number } = {},
): KubernetesClientFactory {
  return (cluster, credential) =>
    createKubernetesClients(cluster, credential, options);
}
