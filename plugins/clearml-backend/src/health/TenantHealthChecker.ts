/**
 * Runs a tenant's health check: the tenant's objects from the cluster's shared
 * view (informers; per-namespace selected lists where the token may not watch
 * cluster-wide, or when the view is off), the events of its unsettled
 * workloads, the diagnosis, optional endpoint probes, and its lifecycle (pull
 * request, Argo CD). Reports are cached (`cacheSeconds`), and concurrent
 * requests for one tenant share one check (sharedReports.ts).
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ChartsSettings,
  ClearmlCluster,
  configuredChartVersion,
  KubernetesClientFactory,
  KubernetesClients,
  findClearmlCluster,
} from '@clearml-openshift/plugin-clearml-node';
import {
  HealthStaleness,
  TenantHealth,
  TenantIsolation,
  worstStatus,
} from '@clearml-openshift/plugin-clearml-common';
import { diagnoseComponents, unknownComponents } from '../diagnosis/diagnose';
import { diagnoseIsolation } from '../diagnosis/isolation';
import { eventSources } from '../diagnosis/eventSources';
import { ClusterView } from '../kubernetes/ClusterView';
import { ClusterViews } from '../kubernetes/ClusterViews';
import { NamespaceObjects } from '../kubernetes/objects';
import { readEvents, readNamespaceObjects } from '../kubernetes/readNamespace';
import { readTenantApplications } from '../kubernetes/readApplications';
import { tenantLifecycle } from '../lifecycle/lifecycle';
import {
  PullRequestReader,
  readPullRequestStage,
} from '../lifecycle/pullRequest';
import { ArgoApplication, syncStage } from '../lifecycle/sync';
import { tenantChartVersions } from '../lifecycle/chartVersions';
import { readDay2Stages } from '../lifecycle/day2Stages';
import { tenantComponents } from '../target/components';
import { HealthTarget, targetNamespaces } from '../target/healthTarget';
import { ProbeFetch, probeComponents } from './probes';
import { SharedReports, reportKey } from './sharedReports';
import { unreachableProblem } from './unreachable';

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
  /** The shared per-cluster views (clearml.health.sharedView); off: every check lists its namespaces. */
  views?: ClusterViews;
  /**
   * Read the tenant's lifecycle: its pull request, its day-2 pull requests and its Argo CD Applications (in
   * `argocdNamespace`), whose chart versions are compared with `charts` (clearml.charts; unset: no drift is told).
   */
  lifecycle?: {
    pullRequests: PullRequestReader;
    argocdNamespace: string;
    charts?: ChartsSettings;
  };
}

/** A report without the entity it was asked for: shared by every entity that names the same tenant. */
type TenantReport = Omit<TenantHealth, 'entityRef'>;

export class TenantHealthChecker {
  private readonly clients = new Map<string, KubernetesClients>();
  private readonly reports: SharedReports<TenantReport>;

  constructor(private readonly options: TenantHealthCheckerOptions) {
    this.reports = new SharedReports(options);
  }

  async check(entityRef: string, target: HealthTarget): Promise<TenantHealth> {
    const report = await this.reports.get(reportKey(target), () =>
      this.run(target),
    );
    return { entityRef, ...report };
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
      view = await this.options.views?.of(cluster, clients.timeoutMs);
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
      this.options.logger.warn(
        `Health check could not read cluster ${target.cluster}: ${error instanceof Error ? error.message : String(error)}`,
      );
      components = unknownComponents(specs, unreachableProblem(error));
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
    const applications = await this.applicationsOf(
      cluster,
      view,
      target.tenant,
    );
    const sync = syncStage(applications, {
      pullRequest: pullRequest.state,
      namespace: this.options.lifecycle.argocdNamespace,
      tenant: target.tenant,
    });
    const settings = this.options.lifecycle.charts;
    const charts =
      'unavailable' in applications
        ? applications
        : tenantChartVersions(applications.items, chart =>
            settings ? configuredChartVersion(settings, chart) : undefined,
          );
    // Change, upgrade, retire: their pull requests, then what Argo CD did with them.
    const day2 = await readDay2Stages({
      source: target.gitops,
      tenant: target.tenant,
      reader: this.options.lifecycle.pullRequests,
      pullRequest,
      sync,
      applications,
      charts,
    });
    return {
      ...base,
      ...(stale ? { stale } : {}),
      ...tenantLifecycle(pullRequest, sync, components, day2),
      ...(isolation ? { isolation } : {}),
      ...(Array.isArray(charts) && charts.length ? { charts } : {}),
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
    return readTenantApplications(
      this.clientsFor(cluster),
      cluster,
      this.options.lifecycle!.argocdNamespace,
      tenant,
    );
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
}
