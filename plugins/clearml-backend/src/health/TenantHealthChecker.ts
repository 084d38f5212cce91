/**
 * Runs a tenant's health check: the tenant's objects from the cluster's shared
 * view (informers; per-namespace selected lists where the token may not watch
 * cluster-wide, or when the view is off), the events of its unsettled
 * workloads, the diagnosis, optional endpoint probes. Reports are cached
 * (`cacheSeconds`), and concurrent requests for one tenant share one check.
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ClearmlCluster,
  KubernetesClientFactory,
  KubernetesClients,
  describeKubernetesError,
  findClearmlCluster,
} from '@clearml-openshift/plugin-clearml-node';
import {
  DEFAULT_TENANT_NAMESPACE_POLICY,
  HealthProblem,
  HealthStaleness,
  TENANT_OWNER_LABEL,
  TenantHealth,
  TenantIsolation,
  TenantNamespacePolicy,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { diagnoseComponents, unknownComponents } from '../diagnosis/diagnose';
import { diagnoseIsolation } from '../diagnosis/isolation';
import { eventSources } from '../diagnosis/eventSources';
import { ClusterView } from '../kubernetes/ClusterView';
import { ClusterStreamFactory } from '../kubernetes/clusterStream';
import { NamespaceObjects } from '../kubernetes/objects';
import {
  ClusterReadError,
  readEvents,
  readNamespaceObjects,
} from '../kubernetes/readNamespace';
import { applicationsRead, listRead } from '../kubernetes/reads';
import { tenantLifecycle } from '../lifecycle/lifecycle';
import {
  PullRequestReader,
  readPullRequestStage,
} from '../lifecycle/pullRequest';
import { ArgoApplication, syncStage } from '../lifecycle/sync';
import { tenantComponents } from '../target/components';
import { ProbeFetch, probeComponents } from './probes';
import { HealthTarget, targetNamespaces } from '../target/healthTarget';

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
  /**
   * The shared per-cluster view; off: every check lists its namespaces. `stream` lists and watches a cluster
   * (production: `kubeConfigStream` over the cluster's read KubeConfig); `staleSeconds` bounds how long the last
   * known state of a cluster that cannot be heard from is served; `tenantNamespaces` (clearml.tenants) says which
   * namespaces' objects it holds beside the labelled ones.
   */
  view?: {
    stream: ClusterStreamFactory;
    watchSeconds: number;
    staleSeconds: number;
    tenantNamespaces?: TenantNamespacePolicy;
  };
  /** Read the tenant's lifecycle: its pull request and its Argo CD Applications (in `argocdNamespace`). */
  lifecycle?: { pullRequests: PullRequestReader; argocdNamespace: string };
}

/** A report without the entity it was asked for: shared by every entity that names the same tenant. */
type TenantReport = Omit<TenantHealth, 'entityRef'>;

function cacheKey(target: HealthTarget): string {
  const gateway = target.appGateway
    ? `${target.appGateway.namespace}/${target.appGateway.release}`
    : '-';
  const gitops = target.gitops
    ? `${target.gitops.repoUrl}#${target.gitops.branch}`
    : '-';
  return `health:v2:${target.cluster}:${target.namespace}:${target.release}:${target.edition}:${gateway}:${target.tenant ?? '-'}:${gitops}`;
}

export class TenantHealthChecker {
  private readonly inFlight = new Map<string, Promise<TenantReport>>();
  private readonly clients = new Map<string, KubernetesClients>();
  private readonly views = new Map<string, ClusterView>();

  constructor(private readonly options: TenantHealthCheckerOptions) {}

  async check(entityRef: string, target: HealthTarget): Promise<TenantHealth> {
    const key = cacheKey(target);
    let report = this.inFlight.get(key);
    if (!report) {
      report = this.cachedOrFresh(key, target).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, report);
    }
    return { entityRef, ...(await report) };
  }

  private async cachedOrFresh(
    key: string,
    target: HealthTarget,
  ): Promise<TenantReport> {
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
      await cache
        .set(key, JSON.parse(JSON.stringify(report)), {
          ttl: cacheSeconds * 1000,
        })
        .catch(error => logger.warn(`Health cache write failed: ${error}`));
    }
    return report;
  }

  private async run(target: HealthTarget): Promise<TenantReport> {
    const specs = tenantComponents(target);
    const checkedAt = (this.options.now?.() ?? new Date()).toISOString();
    const base = {
      cluster: target.cluster,
      namespace: target.namespace,
      checkedAt,
    };
    const cluster = findClearmlCluster(this.options.clusters, target.cluster);
    let objects: Map<string, NamespaceObjects>;
    let view: ClusterView | undefined;
    let stale: HealthStaleness | undefined;
    let components;
    let isolation: TenantIsolation | undefined;
    try {
      if (!cluster)
        throw new Error(`Cluster '${target.cluster}' is not configured`);
      const clients = this.clientsFor(cluster);
      view = await this.viewOf(cluster, clients);
      const lists = await Promise.all(
        targetNamespaces(target).map(ns => {
          if (!view) return readNamespaceObjects(clients, cluster, ns);
          const held = view.objectsIn(ns);
          stale ??= held.stale;
          return held.objects;
        }),
      );
      objects = new Map(lists.map(l => [l.namespace, { ...l, events: [] }]));
      const events = await readEvents(
        clients,
        cluster,
        eventSources(specs, objects),
      );
      for (const [ns, list] of events) objects.get(ns)!.events.push(...list);
      components = diagnoseComponents(specs, target, objects);
      isolation = diagnoseIsolation(target, objects.get(target.namespace)!);
      if (this.options.probe) {
        components = await probeComponents(
          components,
          specs,
          this.options.probe.fetch,
          this.options.probe.timeoutMs,
        );
      }
    } catch (error) {
      components = unknownComponents(
        specs,
        this.unreachableProblem(target.cluster, error),
      );
    }
    if (!this.options.lifecycle || !target.tenant) {
      return {
        ...base,
        ...(stale ? { stale } : {}),
        status: worstStatus(components.map(c => c.status)),
        components,
        ...(isolation ? { isolation } : {}),
      };
    }
    const pullRequest = await readPullRequestStage(
      target.gitops,
      this.options.lifecycle.pullRequests,
    );
    const sync = syncStage(
      await this.applicationsOf(cluster, view, target.tenant),
      {
        pullRequest: pullRequest.state,
        namespace: this.options.lifecycle.argocdNamespace,
        tenant: target.tenant,
      },
    );
    return {
      ...base,
      ...(stale ? { stale } : {}),
      ...tenantLifecycle(pullRequest, sync, components),
      ...(isolation ? { isolation } : {}),
    };
  }

  /** The tenant's Argo CD Applications: from the shared view, or one labelled list in Argo CD's namespace. */
  private async applicationsOf(
    cluster: ClearmlCluster | undefined,
    view: ClusterView | undefined,
    tenant: string,
  ): Promise<{ items: ArgoApplication[] } | { unavailable: string }> {
    if (view) return view.applications(tenant);
    if (!cluster) return { unavailable: 'The cluster is not configured' };
    const clients = this.clientsFor(cluster);
    const read = applicationsRead(this.options.lifecycle!.argocdNamespace);
    try {
      const list = await listRead(
        clients,
        { ...read, labelSelector: `${TENANT_OWNER_LABEL}=${tenant}` },
        read.namespace,
      );
      return { items: list.items };
    } catch (error) {
      const failure = describeKubernetesError(error, cluster, {
        timeoutMs: clients.timeoutMs,
      });
      if (failure.httpStatus === 404)
        return {
          unavailable: `The cluster serves no Argo CD Applications (argoproj.io/v1alpha1): ${failure.message}`,
        };
      return {
        unavailable: `Argo CD Applications could not be read in ${read.namespace}: ${failure.message}`,
      };
    }
  }

  /** The cluster's shared view, started on first use; undefined when off or when the token may not watch cluster-wide. */
  private async viewOf(
    cluster: ClearmlCluster,
    clients: KubernetesClients,
  ): Promise<ClusterView | undefined> {
    const options = this.options.view;
    if (!options) return undefined;
    let view = this.views.get(cluster.name);
    if (!view) {
      view = new ClusterView({
        cluster,
        stream: options.stream(cluster, clients.timeoutMs),
        timeoutMs: clients.timeoutMs,
        watchSeconds: options.watchSeconds,
        staleSeconds: options.staleSeconds,
        tenantNamespaces:
          options.tenantNamespaces ?? DEFAULT_TENANT_NAMESPACE_POLICY,
        logger: this.options.logger,
        ...(this.options.lifecycle
          ? { argocdNamespace: this.options.lifecycle.argocdNamespace }
          : {}),
      });
      this.views.set(cluster.name, view);
    }
    await view.ensure(clients.timeoutMs);
    return view.forbidden ? undefined : view;
  }

  /**
   * A tenant namespace's labels from the cluster's shared view, when it holds it (labelled clear.ml/tenant and
   * current); undefined: ask the cluster.
   */
  labelledNamespace(
    cluster: string,
    namespace: string,
  ): { labels: Record<string, string> } | undefined {
    return this.views.get(cluster)?.labelledNamespace(namespace);
  }

  /** The shared views, for the benchmark's memory figure. */
  viewSizes(): Record<string, ReturnType<ClusterView['size']>> {
    return Object.fromEntries(
      [...this.views].map(([name, view]) => [name, view.size()]),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.views.values()].map(v => v.stop()));
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
    const failure =
      error instanceof ClusterReadError ? error.failure : undefined;
    const why = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(
      `Health check could not read cluster ${cluster}: ${why}`,
    );
    if (failure?.httpStatus === 401 || failure?.httpStatus === 403) {
      return {
        severity: 'error',
        reason:
          failure.httpStatus === 401
            ? 'ClusterUnauthorized'
            : 'ClusterForbidden',
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
