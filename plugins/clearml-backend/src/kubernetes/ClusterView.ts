/**
 * One shared, always-current view of a cluster's tenant objects: a
 * list-and-watch informer (client-node's ListWatch) per (kind, selector) of
 * `tenantReads`, cluster-wide. Every tenant and every viewer on the cluster
 * reads from it, so the cluster sees one list and one open watch per read,
 * whatever the number of tenants or viewers.
 *
 * The workload selector names the charts' fullnames of the tenants asked
 * about so far (`clearml` for every tenant on the default release); a tenant
 * with a release not seen before widens it, which re-lists those informers once.
 *
 * - Watches end after `watchSeconds` (the server's `timeoutSeconds`) and are
 *   resumed from the last resourceVersion, so a healthy cluster is heard from
 *   at least that often. A view that has not heard from the cluster for
 *   `watchSeconds` + the request timeout is stale: its tenants are `unknown`,
 *   and its informers are started afresh.
 * - A failed list or watch is retried with backoff (1 s doubling to 30 s).
 * - A token that may not list a kind cluster-wide (403) turns the view off for
 *   the cluster: the checker falls back to per-namespace lists.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClearmlCluster,
  KubernetesClients,
  KubernetesFailure,
  describeKubernetesError,
} from '@clearml-openshift/plugin-clearml-node';
import { TENANT_OWNER_LABEL } from '@clearml-openshift/plugin-clearml-common';
import { KubernetesObject, ListWatch, Watch } from '@kubernetes/client-node';
import { NamespaceObjects } from './objects';
import {
  NAMESPACES_READ,
  ObjectRead,
  applicationsRead,
  listRead,
  readPath,
  tenantReads,
} from './reads';
import {
  ClusterReadError,
  namespaceObjectsFrom,
  routesErrorOf,
} from './readNamespace';

/** What an informer's watch needs; client-node's `Watch` by default (`new Watch(kubeConfig)`). */
export type WatchFactory = (cluster: ClearmlCluster) => Pick<Watch, 'watch'>;

export interface ClusterViewOptions {
  cluster: ClearmlCluster;
  clients: KubernetesClients;
  watch: Pick<Watch, 'watch'>;
  watchSeconds: number;
  logger: LoggerService;
  now?: () => number;
  /** Argo CD's namespace: the view also holds the tenants' Applications (labelled clear.ml/tenant) from there. */
  argocdNamespace?: string;
}

interface ReadState {
  read: ObjectRead;
  informer?: ListWatch<KubernetesObject>;
  synced: boolean;
  /** Resolves at the first list, or the first failure. */
  firstAnswer: Promise<void>;
  answered: () => void;
  lastContact: number;
  error?: unknown;
  retryMs: number;
  retryTimer?: NodeJS.Timeout;
  /** 404 on Routes: the cluster is not OpenShift. */
  unavailable?: string;
}

const MAX_RETRY_MS = 30_000;

export class ClusterView {
  private reads: ReadState[] = [];
  private readonly names = new Set<string>();
  private pendingFlush?: Promise<void>;
  private started = false;
  private stopped = false;
  private watchdog?: NodeJS.Timeout;
  /** Set when the token may not list a kind cluster-wide: use per-namespace lists instead. */
  forbidden?: string;

  constructor(private readonly options: ClusterViewOptions) {}

  private static newState(read: ObjectRead): ReadState {
    let answered = () => {};
    const firstAnswer = new Promise<void>(resolve => {
      answered = resolve;
    });
    return {
      read,
      synced: false,
      firstAnswer,
      answered,
      lastContact: 0,
      retryMs: 1000,
    };
  }

  /**
   * Makes the view cover these workload names (waiting at most `timeoutMs` for
   * the informers to list). Names asked for within a few milliseconds of each
   * other widen the selectors together, so a sweep re-lists once.
   */
  async ensure(names: string[], timeoutMs: number): Promise<void> {
    const missing = names.filter(n => !this.names.has(n));
    if (missing.length) {
      for (const n of missing) this.names.add(n);
      this.pendingFlush ??= new Promise<void>(resolve =>
        setTimeout(resolve, 10),
      ).then(() => {
        this.pendingFlush = undefined;
        this.applySelectors();
      });
    }
    if (this.pendingFlush) await this.pendingFlush;
    await this.ready(timeoutMs);
  }

  /** (Re)starts the informers whose selector changed with the names. */
  private applySelectors(): void {
    if (this.stopped) return;
    const current = new Map(this.reads.map(s => [s.read.id, s]));
    const reads = tenantReads(this.names);
    if (this.options.argocdNamespace)
      reads.push(applicationsRead(this.options.argocdNamespace));
    reads.push(NAMESPACES_READ);
    this.reads = reads.map(read => {
      const existing = current.get(read.id);
      if (existing && existing.read.labelSelector === read.labelSelector)
        return existing;
      if (existing) {
        if (existing.retryTimer) clearTimeout(existing.retryTimer);
        existing.informer?.stop().catch(() => {});
      }
      const state = ClusterView.newState(read);
      this.startInformer(state);
      return state;
    });
    if (!this.started) {
      this.started = true;
      this.watchdog = setInterval(() => this.restartStale(), 1000);
      this.watchdog.unref();
    }
  }

  private get now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** How long the view may go without hearing from the cluster. */
  get staleAfterMs(): number {
    return this.options.watchSeconds * 1000 + this.options.clients.timeoutMs;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const state of this.reads) {
      if (state.retryTimer) clearTimeout(state.retryTimer);
      await state.informer?.stop();
    }
  }

  /** Waits (at most `timeoutMs`) until every informer has listed once or failed. */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.reads.map(s => s.firstAnswer)),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  /** The tenant objects in one namespace, or a ClusterReadError when the view is not current. */
  objectsIn(namespace: string): NamespaceObjects {
    const { cluster, clients } = this.options;
    const workloadReads = this.reads.filter(
      s => s.read.kind !== 'applications' && s.read.kind !== 'namespaces',
    );
    for (const state of workloadReads) {
      if (state.unavailable) continue;
      if (!state.synced) {
        if (state.error)
          throw new ClusterReadError(
            describeKubernetesError(state.error, cluster, {
              timeoutMs: clients.timeoutMs,
            }),
          );
        throw new ClusterReadError({
          kind: 'timeout',
          message: `Cluster '${cluster.name}' did not answer within ${clients.timeoutMs / 1000}s (watching ${state.read.kind})`,
        });
      }
      if (this.now - state.lastContact > this.staleAfterMs) {
        throw new ClusterReadError({
          kind: 'timeout',
          message: `Cluster '${cluster.name}' has not answered for ${Math.round((this.now - state.lastContact) / 1000)}s (watching ${state.read.kind}; a healthy cluster is heard from every ${this.options.watchSeconds}s)`,
        });
      }
    }
    const routesError = workloadReads.find(s => s.unavailable)?.unavailable;
    return namespaceObjectsFrom(
      namespace,
      workloadReads.map(s => ({
        read: s.read,
        items: s.informer?.list(namespace) ?? [],
      })),
      routesError,
    );
  }

  /**
   * The labels of a namespace labelled for a tenant, from the view; undefined when the view cannot tell (not
   * labelled, not there, or the view not current): then the caller reads the namespace itself.
   */
  labelledNamespace(
    name: string,
  ): { labels: Record<string, string> } | undefined {
    const state = this.reads.find(s => s.read.kind === 'namespaces');
    if (
      !state?.synced ||
      state.unavailable ||
      this.now - state.lastContact > this.staleAfterMs
    )
      return undefined;
    const found = state.informer?.get(name);
    return found
      ? { labels: { ...(found.metadata?.labels ?? {}) } }
      : undefined;
  }

  /** The tenant's Argo CD Applications, or why they cannot be told. */
  applications(tenant: string): { items: any[] } | { unavailable: string } {
    const state = this.reads.find(s => s.read.kind === 'applications');
    if (!state)
      return { unavailable: 'Argo CD is not configured for this cluster' };
    if (state.unavailable) return { unavailable: state.unavailable };
    if (!state.synced) {
      const why = state.error
        ? describeKubernetesError(state.error, this.options.cluster, {
            timeoutMs: this.options.clients.timeoutMs,
          }).message
        : 'not listed yet';
      return { unavailable: `Argo CD Applications could not be read: ${why}` };
    }
    return {
      items: (state.informer?.list(state.read.namespace) ?? []).filter(
        a => a.metadata?.labels?.[TENANT_OWNER_LABEL] === tenant,
      ),
    };
  }

  /** Objects held and their approximate size in memory (as JSON), for the benchmark. */
  size(): { objects: number; bytes: number } {
    let objects = 0;
    let bytes = 0;
    for (const state of this.reads) {
      for (const o of state.informer?.list() ?? []) {
        objects++;
        bytes += JSON.stringify(o).length;
      }
    }
    return { objects, bytes };
  }

  private startInformer(state: ReadState): void {
    if (this.stopped) return;
    const { clients, watchSeconds } = this.options;
    const touch = () => {
      state.lastContact = this.now;
    };
    // Watches resume from the last version and end after watchSeconds, so silence longer than that means trouble.
    const watch = {
      watch: async (
        path: string,
        params: any,
        callback: (phase: string, obj: any, watchObj?: any) => void,
        done: (err: any) => void,
      ) => {
        const controller = await this.options.watch.watch(
          path,
          { ...params, timeoutSeconds: watchSeconds },
          (phase, obj, watchObj) => {
            touch();
            callback(phase, obj, watchObj);
          },
          err => {
            if (!err) touch();
            done(err);
          },
        );
        touch();
        return controller;
      },
    } as unknown as Watch;
    const informer = new ListWatch<KubernetesObject>(
      readPath(state.read.kind, state.read.namespace),
      watch,
      async () => {
        // Wire JSON, as the watch delivers it (the typed clients turn timestamps into Dates).
        const list = JSON.parse(
          JSON.stringify(
            await listRead(clients, state.read, state.read.namespace),
          ),
        );
        touch();
        state.synced = true;
        state.error = undefined;
        state.retryMs = 1000;
        state.answered();
        return list;
      },
      false,
      state.read.labelSelector,
    );
    informer.on('error', error => this.failed(state, informer, error));
    state.informer = informer;
    informer.start().catch(error => this.failed(state, informer, error));
  }

  private failed(
    state: ReadState,
    informer: ListWatch<KubernetesObject>,
    error: unknown,
  ): void {
    if (
      this.stopped ||
      state.informer !== informer ||
      !this.reads.includes(state)
    )
      return;
    const { cluster, clients, logger } = this.options;
    // A refused watch is an Error with `statusCode` (client-node's Watch), not an ApiException.
    const statusCode = (error as { statusCode?: number })?.statusCode;
    const failure: KubernetesFailure =
      typeof statusCode === 'number'
        ? {
            kind: 'status',
            httpStatus: statusCode,
            message: `Cluster '${cluster.name}' answered HTTP ${statusCode} to a watch of ${state.read.kind}`,
          }
        : describeKubernetesError(error, cluster, {
            timeoutMs: clients.timeoutMs,
          });
    if (state.read.kind === 'routes' && failure.httpStatus === 404) {
      state.unavailable = routesErrorOf(failure, 'cluster-wide');
      state.answered();
      return;
    }
    if (state.read.kind === 'namespaces' && failure.httpStatus === 403) {
      // The token may only get namespaces: the guard reads each one itself.
      state.unavailable = `The read-only token may not list namespaces: ${failure.message}`;
      state.answered();
      return;
    }
    if (
      state.read.kind === 'applications' &&
      (failure.httpStatus === 404 || failure.httpStatus === 403)
    ) {
      state.unavailable =
        failure.httpStatus === 404
          ? `The cluster serves no Argo CD Applications (argoproj.io/v1alpha1): ${failure.message}`
          : `The read-only token may not list Argo CD Applications in ${state.read.namespace}: ${failure.message}`;
      state.answered();
      return;
    }
    if (failure.httpStatus === 403 && !this.forbidden) {
      this.forbidden = failure.message;
      logger.info(
        `Cluster ${cluster.name}: the read token may not watch ${state.read.kind} cluster-wide; reading per namespace instead`,
      );
    }
    state.error = error;
    state.synced = false;
    state.answered();
    logger.warn(
      `Cluster ${cluster.name}: watching ${state.read.kind} failed (${failure.message}); retrying in ${state.retryMs / 1000}s`,
    );
    const delay = state.retryMs;
    state.retryMs = Math.min(state.retryMs * 2, MAX_RETRY_MS);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      informer.stop().catch(() => {});
      if (this.reads.includes(state)) this.startInformer(state);
    }, delay);
    state.retryTimer.unref();
  }

  /** A synced informer that has gone quiet for too long is replaced (its watch may hang on a silent server). */
  private restartStale(): void {
    for (const state of this.reads) {
      if (
        !state.synced ||
        state.retryTimer ||
        this.now - state.lastContact <= this.staleAfterMs
      )
        continue;
      this.options.logger.warn(
        `Cluster ${this.options.cluster.name}: no answer while watching ${state.read.kind}; reconnecting`,
      );
      state.synced = false;
      // The same words as a stale view's (objectsIn): a check may land before or after this restart.
      state.error = new Error(
        `Cluster '${this.options.cluster.name}' has not answered for ${Math.round((this.now - state.lastContact) / 1000)}s (watching ${state.read.kind}; a healthy cluster is heard from every ${this.options.watchSeconds}s)`,
      );
      const old = state.informer;
      old?.stop().catch(() => {});
      this.startInformer(state);
    }
  }
}
