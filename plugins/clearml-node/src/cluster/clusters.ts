/**
 * The clusters the ClearML plugins talk to, read from `clearml.clusters` or,
 * when that is absent, from the Kubernetes plugin's
 * `kubernetes.clusterLocatorMethods[type=config].clusters`, so a platform team
 * configures a cluster once.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** @public */
export interface ClearmlCluster {
  name: string;
  url: string;
  /** Read-only credential (health, reads). */
  serviceAccountToken?: string;
  /** Credential that may create RoleBindings; only `clearml:scc:grant` uses it. */
  grantToken?: string;
  /** Base64 PEM of the API server's CA. */
  caData?: string;
  /** Path of a PEM file with the API server's CA. */
  caFile?: string;
  skipTLSVerify: boolean;
  /** Cluster apps domain, e.g. `apps.ocp-prod.example.com`. */
  appsDomain?: string;
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs?: number;
  /** Where the entry came from, for messages. */
  source: 'clearml.clusters' | 'kubernetes.clusterLocatorMethods';
}

function readCluster(
  entry: Config,
  key: string,
  source: ClearmlCluster['source'],
): ClearmlCluster {
  const url = entry.getString('url');
  const skipTLSVerify = entry.getOptionalBoolean('skipTLSVerify') ?? false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `Invalid cluster config at ${key}.url: '${url}' is not a URL`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(
      `Invalid cluster config at ${key}.url: '${url}' must be an https:// URL`,
    );
  }
  if (parsed.protocol === 'http:' && !skipTLSVerify) {
    // @kubernetes/client-node refuses plain HTTP unless TLS verification is explicitly off.
    throw new Error(
      `Invalid cluster config at ${key}.url: '${url}' is plain http; use https, or set skipTLSVerify: true`,
    );
  }
  const timeoutSeconds = entry.getOptionalNumber('requestTimeoutSeconds');
  return {
    name: entry.getString('name'),
    url: url.replace(/\/+$/, ''),
    serviceAccountToken: entry.getOptionalString('serviceAccountToken'),
    grantToken: entry.getOptionalString('grantToken'),
    caData: entry.getOptionalString('caData'),
    caFile: entry.getOptionalString('caFile'),
    skipTLSVerify,
    appsDomain: entry.getOptionalString('appsDomain'),
    ...(timeoutSeconds !== undefined
      ? { requestTimeoutMs: timeoutSeconds * 1000 }
      : {}),
    source,
  };
}

/**
 * Why a Kubernetes plugin cluster gives the ClearML plugins no usable credential, or undefined. They only send a
 * bearer token: other auth providers (oidc, google, aws, ...) sign in per user or per cloud, which they cannot do,
 * so without this warning such a cluster's tenants would just show as unknown.
 */
export function kubernetesClusterAuthWarning(
  entry: Config,
  key: string,
): string | undefined {
  const authProvider = entry.getOptionalString('authProvider');
  const token = entry.getOptionalString('serviceAccountToken');
  const name = entry.getOptionalString('name') ?? key;
  if (authProvider === 'serviceAccount') {
    if (token) return undefined;
    // The Kubernetes plugin then falls back to the backend pod's own account; the ClearML plugins do not.
    return (
      `ClearML cluster '${name}' (${key}) has authProvider 'serviceAccount' but no serviceAccountToken: ` +
      "the ClearML plugins have no token for it, so its tenants' health is unknown. " +
      'Set a read-only serviceAccountToken on that entry, or list the cluster under clearml.clusters with serviceAccountToken.'
    );
  }
  const uses = authProvider
    ? `authProvider '${authProvider}'`
    : 'no authProvider';
  const effect = token
    ? "the ClearML plugins ignore it and send the entry's serviceAccountToken"
    : "the ClearML plugins have no token for it, so its tenants' health is unknown and clearml:scc:grant cannot use it";
  return (
    `ClearML cluster '${name}' (${key}) has ${uses}: ${effect}. ` +
    `Set authProvider: serviceAccount and a read-only serviceAccountToken on that entry, ` +
    `or list the cluster under clearml.clusters with serviceAccountToken (and grantToken for clearml:scc:grant).`
  );
}

/** @public */
export interface ReadClearmlClustersOptions {
  /** At startup: warns about `kubernetes.clusterLocatorMethods` clusters the ClearML plugins cannot use as given. */
  logger?: Pick<LoggerService, 'warn'>;
}

/**
 * All configured clusters; an error names the config key that is wrong.
 *
 * @public
 */
export function readClearmlClusters(
  config: Config,
  options: ReadClearmlClustersOptions = {},
): ClearmlCluster[] {
  const own = config.getOptionalConfigArray('clearml.clusters');
  if (own)
    return own.map((entry, i) =>
      readCluster(entry, `clearml.clusters[${i}]`, 'clearml.clusters'),
    );
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods.flatMap((method, m) =>
    method.getString('type') !== 'config'
      ? []
      : (method.getOptionalConfigArray('clusters') ?? []).map((entry, i) => {
          const key = `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`;
          const warning =
            options.logger && kubernetesClusterAuthWarning(entry, key);
          if (warning) options.logger!.warn(warning);
          return readCluster(entry, key, 'kubernetes.clusterLocatorMethods');
        }),
  );
}

/**
 * The cluster of that name, or undefined.
 *
 * @public
 */
export function findClearmlCluster(
  clusters: readonly ClearmlCluster[],
  name: string,
): ClearmlCluster | undefined {
  return clusters.find(c => c.name === name);
}
