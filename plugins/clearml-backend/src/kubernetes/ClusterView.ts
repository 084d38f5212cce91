/**
 * One shared, always-current view of a cluster's tenant objects: an
 * `Informer` (list + watch with bookmarks) per read of `TENANT_READS`,
 * cluster-wide, plus the tenants' Namespaces and their Argo CD Applications.
 * Every tenant and every viewer on the cluster reads from it.
 *
 * - The reads do not depend on the tenants' release names, so no tenant ever
 *   changes what is listed: a first sweep costs the same whatever the releases,
 *   and no check waits on a re-list another check caused.
 * - Only objects in tenant namespaces are held (heldNamespaces.ts), trimmed to
 *   what the diagnosis reads. A namespace that becomes a tenant's is filled
 *   with one selected list per read in it; one that stops being one is dropped.
 * - Through a failure (refused or dropped watch, 429/503, a silent server) the
 *   view serves its last known state, marked stale, for at most `staleSeconds`
 *   (viewFreshness.ts); past that, and for never-listed reads, its tenants are
 *   `unknown` with what really happened.
 * - A token that may not list a kind cluster-wide (403) turns the view off for
 *   the cluster: the checker falls back to per-namespace lists.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClearmlCluster,
  KubernetesFailure,
} from '@clearml-openshift/plugin-clearml-node';
import {
  HealthStaleness,
  TENANT_OWNER_LABEL,
  TenantNamespacePolicy,
} from '@clearml-openshift/plugin-clearml-common';
import { ClusterStream } from './clusterStream';
import { HeldNamespaces } from './heldNamespaces';
import { Informer } from './Informer';
import { NamespaceObjects } from './objects';
import {
  ISOLATION_KINDS,
  NAMESPACES_READ,
  ObjectRead,
  TENANT_READS,
  applicationsRead,
} from './reads';
import { namespaceObjectsFrom } from './readNamespace';
import { describeStreamFailure, finalFailureOf } from './viewFailures';
import {
  FreshnessContext,
  informerFreshness,
  oldestStaleness,
} from './viewFreshness';
import { viewSize } from './viewSize';

export interface ClusterViewOptions {
  cluster: ClearmlCluster;
  stream: ClusterStream;
  /** The cluster's request timeout: how long a list or a watch's answer may take. */
  timeoutMs: number;
  watchSeconds: number;
  /** How long after it last heard from the cluster the view still serves its last known state. */
  staleSeconds: number;
  /** Which namespaces are tenants' beside the labelled ones (adopted), and their pattern. */
  tenantNamespaces: TenantNamespacePolicy;
  logger: LoggerService;
  now?: () => number;
  /** Argo CD's namespace: the view also holds the tenants' Applications (labelled clear.ml/tenant) from there. */
  argocdNamespace?: string;
}

export class ClusterView {
  private readonly namespaces: Informer;
  private readonly workloads: Informer[];
  private readonly applicationsInformer?: Informer;
  private readonly held: HeldNamespaces;
  private started?: Promise<void>;
  private stopped = false;
  private watchdog?: NodeJS.Timeout;
  /** What viewFreshness.ts needs to know of this view. */
  private readonly freshness: FreshnessContext;
  /** Set when the token may not list a kind cluster-wide: use per-namespace lists instead. */
  forbidden?: string;

  constructor(private readonly options: ClusterViewOptions) {
    this.held = new HeldNamespaces(options.tenantNamespaces);
    this.freshness = {
      clusterName: options.cluster.name,
      timeoutMs: options.timeoutMs,
      staleSeconds: options.staleSeconds,
      silentAfterMs: this.silentAfterMs,
      now: () => this.now,
      describe: error => this.describe(error),
    };
    this.namespaces = this.informer(NAMESPACES_READ, () => true);
    this.workloads = TENANT_READS.map(read =>
      this.informer(
        read,
        ns =>
          ns !== undefined &&
          this.held.holds(ns, Boolean(this.namespaces.unavailable)),
      ),
    );
    if (options.argocdNamespace)
      this.applicationsInformer = this.informer(
        applicationsRead(options.argocdNamespace),
        () => true,
      );
  }

  private get now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A watch silent this long (no event, bookmark or end) is reopened. */
  get silentAfterMs(): number {
    return this.options.watchSeconds * 1000 + this.options.timeoutMs;
  }

  private informer(
    read: ObjectRead,
    keeps: (namespace: string | undefined) => boolean,
  ): Informer {
    return new Informer({
      read,
      stream: this.options.stream,
      watchSeconds: this.options.watchSeconds,
      silentAfterMs: this.silentAfterMs,
      keeps,
      now: () => this.now,
      isFinal: error => this.finalFailure(read, error),
      onFailure: (informer, error, retryInMs) =>
        this.options.logger.warn(
          `Cluster ${this.options.cluster.name}: ${this.describe(error).message} (${informer.read.id}); retrying in ${Math.round(retryInMs / 100) / 10}s`,
        ),
    });
  }

  /** Starts the informers once: the namespaces first (they decide what the others keep). */
  private start(): Promise<void> {
    this.started ??= (async () => {
      this.namespaces.start();
      await this.namespaces.firstAnswer;
      this.syncTenantNamespaces(false);
      for (const informer of this.workloads) informer.start();
      this.applicationsInformer?.start();
      this.watchdog = setInterval(() => this.tick(), 1000);
      this.watchdog.unref();
    })();
    return this.started;
  }

  /** Waits (at most `timeoutMs`) until every informer has listed once or failed. */
  async ensure(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.start().then(() =>
        Promise.all(
          [...this.workloads, this.applicationsInformer].map(
            i => i?.firstAnswer,
          ),
        ),
      ),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const informer of this.all()) informer.stop();
  }

  private all(): Informer[] {
    return [
      this.namespaces,
      ...this.workloads,
      ...(this.applicationsInformer ? [this.applicationsInformer] : []),
    ];
  }

  private tick(): void {
    if (this.stopped) return;
    for (const informer of this.all()) informer.checkSilence();
    this.syncTenantNamespaces(true);
  }

  /** Follows the labelled namespaces: fills the new ones' objects, drops those that are no longer tenants'. */
  private syncTenantNamespaces(fill: boolean): void {
    if (this.namespaces.unavailable) return;
    const { added, dropped } = this.held.follow(this.namespaces.list());
    for (const namespace of dropped)
      for (const informer of this.workloads) informer.drop(namespace);
    if (!fill) return;
    for (const namespace of added) {
      for (const informer of this.workloads) {
        if (!informer.synced) continue; // its first list covers the namespace
        informer.fill(namespace).catch(error => {
          this.options.logger.warn(
            `Cluster ${this.options.cluster.name}: reading new tenant namespace ${namespace} failed: ${this.describe(error).message}`,
          );
          // Read it again at the next tick.
          this.held.forget(namespace);
        });
      }
    }
  }

  private describe(error: unknown): KubernetesFailure {
    return describeStreamFailure(
      error,
      this.options.cluster,
      this.options.timeoutMs,
    );
  }

  /** Failures that retrying does not fix: the read is marked unavailable (or the view turned off). */
  private finalFailure(read: ObjectRead, error: unknown): string | undefined {
    const final = finalFailureOf(read, error, e => this.describe(e));
    if (final?.viewForbidden && !this.forbidden) {
      this.forbidden = final.message;
      this.options.logger.info(
        `Cluster ${this.options.cluster.name}: the read token may not watch ${read.kind} cluster-wide; reading per namespace instead`,
      );
    }
    return final?.message;
  }

  /**
   * The tenant objects in one namespace and, when they are the last known state, how stale; a ClusterReadError
   * when the view cannot tell.
   */
  objectsIn(namespace: string): {
    objects: NamespaceObjects;
    stale?: HealthStaleness;
  } {
    const stale = oldestStaleness(
      [this.namespaces, ...this.workloads],
      this.freshness,
    );
    const unavailable = (isolation: boolean) =>
      this.workloads.find(
        i =>
          i.unavailable && ISOLATION_KINDS.includes(i.read.kind) === isolation,
      )?.unavailable;
    const objects = namespaceObjectsFrom(
      namespace,
      this.workloads.map(i => ({ read: i.read, items: i.list(namespace) })),
      unavailable(false),
      unavailable(true),
    );
    return stale ? { objects, stale } : { objects };
  }

  /**
   * The labels of a namespace labelled for a tenant, from the view; undefined when the view cannot tell (not
   * labelled, not there, or the view not current): then the caller reads the namespace itself.
   */
  labelledNamespace(
    name: string,
  ): { labels: Record<string, string> } | undefined {
    const informer = this.namespaces;
    if (informer.unavailable) return undefined;
    try {
      // Within the bound, the last known labels answer too (a tenant namespace's owner label seldom changes).
      informerFreshness(informer, this.freshness);
    } catch {
      return undefined;
    }
    const found = informer.get(name);
    return found
      ? { labels: { ...(found.metadata?.labels ?? {}) } }
      : undefined;
  }

  /** The tenant's Argo CD Applications, or why they cannot be told. */
  applications(tenant: string): { items: any[] } | { unavailable: string } {
    const informer = this.applicationsInformer;
    if (!informer)
      return { unavailable: 'Argo CD is not configured for this cluster' };
    if (informer.unavailable) return { unavailable: informer.unavailable };
    try {
      informerFreshness(informer, this.freshness);
    } catch (error) {
      return {
        unavailable: `Argo CD Applications could not be read: ${(error as Error).message}`,
      };
    }
    return {
      items: informer
        .list(informer.read.namespace)
        .filter(a => a.metadata?.labels?.[TENANT_OWNER_LABEL] === tenant),
    };
  }

  /** What the view holds and what its lists cost, for the benchmark. */
  size() {
    return viewSize(this.all());
  }
}
