/**
 * The shared views, one per cluster, started on first use. The checker reads
 * tenants' objects from them; the tenant namespace guard asks them for a
 * namespace's labels before it reads the cluster itself.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import type { ClearmlCluster } from '@clearml-openshift/plugin-clearml-node';
import {
  DEFAULT_TENANT_NAMESPACE_POLICY,
  TenantNamespacePolicy,
} from '@clearml-openshift/plugin-clearml-common';
import { ClusterView } from './ClusterView';
import { ClusterStreamFactory } from './clusterStream';

export interface ClusterViewsOptions {
  /** Lists and watches a cluster (production: `kubeConfigStream` over the cluster's read KubeConfig). */
  stream: ClusterStreamFactory;
  watchSeconds: number;
  /** How long the last known state of a cluster that cannot be heard from is served. */
  staleSeconds: number;
  /** Which namespaces' objects a view holds beside the labelled ones (clearml.tenants). */
  tenantNamespaces?: TenantNamespacePolicy;
  logger: LoggerService;
  /** Argo CD's namespace: the views also hold the tenants' Applications from there. */
  argocdNamespace?: string;
}

export class ClusterViews {
  private readonly views = new Map<string, ClusterView>();

  constructor(private readonly options: ClusterViewsOptions) {}

  /**
   * The cluster's view once it has listed (or `timeoutMs` passed); undefined when the token may not watch
   * cluster-wide (then a check lists per namespace).
   */
  async of(
    cluster: ClearmlCluster,
    timeoutMs: number,
  ): Promise<ClusterView | undefined> {
    let view = this.views.get(cluster.name);
    if (!view) {
      const options = this.options;
      view = new ClusterView({
        cluster,
        stream: options.stream(cluster, timeoutMs),
        timeoutMs,
        watchSeconds: options.watchSeconds,
        staleSeconds: options.staleSeconds,
        tenantNamespaces:
          options.tenantNamespaces ?? DEFAULT_TENANT_NAMESPACE_POLICY,
        logger: options.logger,
        ...(options.argocdNamespace
          ? { argocdNamespace: options.argocdNamespace }
          : {}),
      });
      this.views.set(cluster.name, view);
    }
    await view.ensure(timeoutMs);
    return view.forbidden ? undefined : view;
  }

  /**
   * A tenant namespace's labels from the cluster's view, when it holds it (labelled clear.ml/tenant and current);
   * undefined: ask the cluster. Starts nothing.
   */
  labelledNamespace(
    cluster: string,
    namespace: string,
  ): { labels: Record<string, string> } | undefined {
    return this.views.get(cluster)?.labelledNamespace(namespace);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.views.values()].map(v => v.stop()));
  }
}
