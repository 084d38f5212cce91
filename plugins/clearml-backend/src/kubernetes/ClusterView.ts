/**
 * One shared, always-current view of a cluster's tenant objects: an
 * `Informer` (list + watch with bookmarks) per read of `TENANT_READS`,
 * cluster-wide, plus the tenants' Namespaces and their Argo CD Applications.
 * Every tenant and every viewer on the cluster reads from it.
 *
 * - The reads do not depend on the tenants' release names, so no tenant ever
 *   changes what is listed: a first sweep costs the same whatever the releases,
 *   and no check waits on a re-list another check caused.
 * - Only objects in tenant namespaces are held (labelled `clear.ml/tenant`, or
 *   adopted in `clearml.tenants.adopt`; when the token may not list namespaces,
 *   those matching `clearml.tenants.namespacePattern`), trimmed to what the
 *   diagnosis reads. A namespace that becomes a tenant's is filled with one
 *   selected list per read in it; one that stops being one is dropped.
 * - Through a failure (refused or dropped watch, 429/503, a silent server) the
 *   view serves its last known state, marked stale with its age and the cause,
 *   for at most `staleSeconds` after it last heard from the cluster; past that
 *   its tenants are `unknown` with that cause. Never-listed reads are `unknown`
 *   with what really happened (the failure, or "did not answer within").
 * - A token that may not list a kind cluster-wide (403) turns the view off for
 *   the cluster: the checker falls back to per-namespace lists.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClearmlCluster,
  KubernetesFailure,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import {
  HealthStaleness,
  TENANT_OWNER_LABEL,
  TenantNamespacePolicy,
  matchesNamespacePattern,
} from '@clearml-openshift/plugin-clearml-common';
import { ClusterStream, RefusedError } from './clusterStream';
import { Informer } from './Informer';
import { NamespaceObjects } from './objects';
import {
  ISOLATION_KINDS,
  NAMESPACES_READ,
  ObjectRead,
  TENANT_READS,
  applicationsRead,
} from './reads';
import {
  ClusterReadError,
  namespaceObjectsFrom,
  isolationErrorOf,
  routesErrorOf,
} from './readNamespace';

/** The config key of the bound, as messages name it. */
export const STALE_SECONDS_KEY = 'clearml.health.staleSeconds';

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
  /** Tenant namespaces now held (labelled or adopted). */
  private readonly tenantNamespaces = new Set<string>();
  private readonly adopted: Set<string>;
  private started?: Promise<void>;
  private stopped = false;
  private watchdog?: NodeJS.Timeout;
  /** Set when the token may not list a kind cluster-wide: use per-namespace lists instead. */
  forbidden?: string;

  constructor(private readonly options: ClusterViewOptions) {
    this.adopted = new Set(
      options.tenantNamespaces.adopt.map(a => a.namespace),
    );
    for (const namespace of this.adopted) this.tenantNamespaces.add(namespace);
    this.namespaces = this.informer(NAMESPACES_READ, () => true);
    this.workloads = TENANT_READS.map(read =>
      this.informer(read, ns => ns !== undefined && this.isTenantNamespace(ns)),
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

  private isTenantNamespace(namespace: string): boolean {
    if (this.namespaces.unavailable)
      return (
        this.adopted.has(namespace) ||
        matchesNamespacePattern(
          this.options.tenantNamespaces.namespacePattern,
          namespace,
        )
      );
    return this.tenantNamespaces.has(namespace);
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
    const labelled = new Set(
      this.namespaces
        .list()
        .filter(n => n.metadata?.labels?.[TENANT_OWNER_LABEL] !== undefined)
        .map(n => n.metadata.name as string),
    );
    for (const namespace of [...this.tenantNamespaces]) {
      if (labelled.has(namespace) || this.adopted.has(namespace)) continue;
      this.tenantNamespaces.delete(namespace);
      for (const informer of this.workloads) informer.drop(namespace);
    }
    for (const namespace of labelled) {
      if (this.tenantNamespaces.has(namespace)) continue;
      this.tenantNamespaces.add(namespace);
      if (!fill) continue;
      for (const informer of this.workloads) {
        if (!informer.synced) continue; // its first list covers the namespace
        informer.fill(namespace).catch(error => {
          this.options.logger.warn(
            `Cluster ${this.options.cluster.name}: reading new tenant namespace ${namespace} failed: ${this.describe(error).message}`,
          );
          // Read it again at the next tick.
          this.tenantNamespaces.delete(namespace);
        });
      }
    }
  }

  private describe(error: unknown): KubernetesFailure {
    const failure = describeKubernetesError(error, this.options.cluster, {
      timeoutMs: this.options.timeoutMs,
    });
    const retryAfter =
      error instanceof RefusedError ? error.retryAfterSeconds : undefined;
    return retryAfter !== undefined
      ? {
          ...failure,
          message: `${failure.message} (Retry-After: ${retryAfter}s)`,
        }
      : failure;
  }

  /** Failures that retrying does not fix: the read is marked unavailable (or the view turned off). */
  private finalFailure(read: ObjectRead, error: unknown): string | undefined {
    if (!(error instanceof RefusedError)) return undefined;
    const failure = this.describe(error);
    if (read.kind === 'routes' && error.code === 404)
      return routesErrorOf(failure, 'cluster-wide');
    if (read.kind === 'namespaces' && error.code === 403)
      return `The read-only token may not list namespaces: ${failure.message}`;
    // A token without the isolation kinds: the workloads are still served, the card says what to grant.
    if (ISOLATION_KINDS.includes(read.kind)) {
      const isolation = isolationErrorOf(
        { ...failure, httpStatus: error.code },
        read.kind,
        'cluster-wide',
      );
      if (isolation) return isolation;
    }
    if (read.kind === 'applications' && error.code === 404)
      return `The cluster serves no Argo CD Applications (argoproj.io/v1alpha1): ${failure.message}`;
    if (read.kind === 'applications' && error.code === 403)
      return `The read-only token may not list Argo CD Applications in ${read.namespace}: ${failure.message}`;
    if (error.code === 403) {
      if (!this.forbidden) {
        this.forbidden = failure.message;
        this.options.logger.info(
          `Cluster ${this.options.cluster.name}: the read token may not watch ${read.kind} cluster-wide; reading per namespace instead`,
        );
      }
      return failure.message;
    }
    return undefined;
  }

  /**
   * Whether an informer's state may be served: throws a ClusterReadError saying what happened when not (never
   * listed, or older than the bound); returns the staleness when it is the last known state.
   */
  private freshness(informer: Informer): HealthStaleness | undefined {
    const { cluster, timeoutMs, staleSeconds } = this.options;
    const read = informer.read;
    if (!informer.synced) {
      if (informer.failure)
        throw new ClusterReadError(this.describe(informer.failure));
      throw new ClusterReadError({
        kind: 'timeout',
        message: `Cluster '${cluster.name}' did not answer the list of ${read.id} within ${timeoutMs / 1000}s`,
      });
    }
    const ageMs = this.now - informer.heardAt;
    const silent = ageMs > this.silentAfterMs;
    if (!informer.failure && !silent) return undefined;
    const cause = informer.failure
      ? this.describe(informer.failure)
      : ({
          kind: 'timeout',
          message: `cluster '${cluster.name}' sent nothing on the watch of ${read.id} for ${Math.round(ageMs / 1000)}s`,
        } as KubernetesFailure);
    const age = Math.round(ageMs / 1000);
    if (ageMs > staleSeconds * 1000)
      throw new ClusterReadError({
        ...cause,
        message: `Cluster '${cluster.name}' has not been heard from for ${age}s (${read.id}), longer than the ${staleSeconds}s its last known state is served (${STALE_SECONDS_KEY}): ${cause.message}`,
      });
    return {
      asOf: new Date(informer.heardAt).toISOString(),
      ageSeconds: age,
      reason: cause.message,
    };
  }

  /** The oldest staleness of the given informers (each may throw past the bound). */
  private staleness(informers: Informer[]): HealthStaleness | undefined {
    let oldest: HealthStaleness | undefined;
    for (const informer of informers) {
      if (informer.unavailable) continue;
      const stale = this.freshness(informer);
      if (stale && (!oldest || stale.ageSeconds > oldest.ageSeconds))
        oldest = stale;
    }
    return oldest;
  }

  /**
   * The tenant objects in one namespace and, when they are the last known state, how stale; a ClusterReadError
   * when the view cannot tell.
   */
  objectsIn(namespace: string): {
    objects: NamespaceObjects;
    stale?: HealthStaleness;
  } {
    const stale = this.staleness([this.namespaces, ...this.workloads]);
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
      this.freshness(informer);
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
      this.freshness(informer);
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

  /**
   * Objects held, their size as JSON and as held (packed), and the lists made (all, and those a 410 caused), for
   * the benchmark.
   */
  size(): {
    objects: number;
    bytes: number;
    heldBytes: number;
    lists: number;
    expiredRelists: number;
  } {
    let objects = 0;
    let bytes = 0;
    let heldBytes = 0;
    let lists = 0;
    let expiredRelists = 0;
    for (const informer of this.all()) {
      lists += informer.lists;
      expiredRelists += informer.expiredRelists;
      heldBytes += informer.heldBytes();
      for (const o of informer.list()) {
        objects++;
        bytes += JSON.stringify(o).length;
      }
    }
    return { objects, bytes, heldBytes, lists, expiredRelists };
  }
}
