/**
 * Runs a tenant's health check: one round of list calls per namespace, the
 * diagnosis, optional endpoint probes. Reports are cached (`cacheSeconds`),
 * and concurrent requests for one tenant share one check.
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ClearmlCluster,
  KubernetesClientFactory,
  KubernetesClients,
  findClearmlCluster,
} from '@clearml-openshift/plugin-clearml-node';
import { HealthProblem, TenantHealth, worstStatus } from '@clearml-openshift/plugin-clearml-common';
import { diagnoseComponents, unknownComponents } from '../diagnosis/diagnose';
import { NamespaceObjects } from '../kubernetes/objects';
import { ClusterReadError, readNamespaceObjects } from '../kubernetes/readNamespace';
import { tenantComponents } from './components';
import { ProbeFetch, probeComponents } from './probes';
import { HealthTarget, targetNamespaces } from './target';

export interface TenantHealthCheckerOptions {
  /** The configured clusters (only their read-only credential is used). */
  clusters: readonly ClearmlCluster[];
  /** Builds API clients for a cluster; the production default is clearml-node's `kubernetesClientFactory()`. */
  clientFactory: KubernetesClientFactory;
  cache: CacheService;
  cacheSeconds: number;
  probe?: { fetch: ProbeFetch; timeoutMs: number };
  logger: LoggerService;
  now?: () => Date;
}

/** A report without the entity it was asked for: shared by every entity that names the same tenant. */
type TenantReport = Omit<TenantHealth, 'entityRef'>;

function cacheKey(target: HealthTarget): string {
  const gateway = target.appGateway ? `${target.appGateway.namespace}/${target.appGateway.release}` : '-';
  return `health:v1:${target.cluster}:${target.namespace}:${target.release}:${target.edition}:${gateway}`;
}

export class TenantHealthChecker {
  private readonly inFlight = new Map<string, Promise<TenantReport>>();
  private readonly clients = new Map<string, KubernetesClients>();

  constructor(private readonly options: TenantHealthCheckerOptions) {}

  async check(entityRef: string, target: HealthTarget): Promise<TenantHealth> {
    const key = cacheKey(target);
    let report = this.inFlight.get(key);
    if (!report) {
      report = this.cachedOrFresh(key, target).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, report);
    }
    return { entityRef, ...(await report) };
  }

  private async cachedOrFresh(key: string, target: HealthTarget): Promise<TenantReport> {
    const { cache, cacheSeconds, logger } = this.options;
    if (cacheSeconds > 0) {
      const cached = await cache.get(key).catch(error => {
        logger.warn(`Health cache read failed: ${error}`);
        return undefined;
      });
      if (cached) return cached as unknown as TenantReport;
    }
    const report = await this.run(target);
    if (cacheSeconds > 0) {
      await cache.set(key, JSON.parse(JSON.stringify(report)), { ttl: cacheSeconds * 1000 }).catch(error => logger.warn(`Health cache write failed: ${error}`));
    }
    return report;
  }

  private async run(target: HealthTarget): Promise<TenantReport> {
    const specs = tenantComponents(target);
    const checkedAt = (this.options.now?.() ?? new Date()).toISOString();
    const base = { cluster: target.cluster, namespace: target.namespace, checkedAt };
    let objects: Map<string, NamespaceObjects>;
    try {
      const cluster = findClearmlCluster(this.options.clusters, target.cluster);
      if (!cluster) throw new Error(`Cluster '${target.cluster}' is not configured`);
      const clients = this.clientsFor(cluster);
      const lists = await Promise.all(targetNamespaces(target).map(ns => readNamespaceObjects(clients, cluster, ns)));
      objects = new Map(lists.map(l => [l.namespace, l]));
    } catch (error) {
      const components = unknownComponents(specs, this.unreachableProblem(target.cluster, error));
      return { ...base, status: 'unknown', components };
    }
    let components = diagnoseComponents(specs, target, objects);
    if (this.options.probe) {
      components = await probeComponents(components, specs, this.options.probe.fetch, this.options.probe.timeoutMs);
    }
    return { ...base, status: worstStatus(components.map(c => c.status)), components };
  }

  /** Clients are built once per cluster: the KubeConfig and its TLS setup do not change while the backend runs. */
  private clientsFor(cluster: ClearmlCluster): KubernetesClients {
    let clients = this.clients.get(cluster.name);
    if (!clients) {
      clients = this.options.clientFactory(cluster, 'read');
      this.clients.set(cluster.name, clients);
    }
    return clients;
  }

  private unreachableProblem(cluster: string, error: unknown): HealthProblem {
    const failure = error instanceof ClusterReadError ? error.failure : undefined;
    const why = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(`Health check could not read cluster ${cluster}: ${why}`);
    if (failure?.httpStatus === 401 || failure?.httpStatus === 403) {
      return {
        severity: 'error',
        reason: failure.httpStatus === 401 ? 'ClusterUnauthorized' : 'ClusterForbidden',
        message: `The health check's read-only token was refused: ${why}`,
        hint: "Check the cluster's serviceAccountToken in app-config, and bind its account to the ClusterRole in the clearml-backend README.",
      };
    }
    return {
      severity: 'error',
      reason: 'ClusterUnreachable',
      message: `The tenant's state is unknown: ${why}`,
      hint: 'Check the API server URL, the network path from Backstage and the CA (caData/caFile) in app-config.',
    };
  }
}
