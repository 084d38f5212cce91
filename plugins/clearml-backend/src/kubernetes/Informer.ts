/**
 * One list-and-watch of one read (kind + selector), cluster-wide, holding the
 * trimmed objects of the namespaces `keeps` accepts and nothing else.
 *
 * - It lists once, then watches from the list's resourceVersion with
 *   `allowWatchBookmarks=true` and `timeoutSeconds`; each event and bookmark
 *   moves the version on, so a renewal resumes where the last stream ended
 *   (no list) however busy the cluster is with objects it does not watch.
 * - A 410 (`Expired`/`Gone`, as an ERROR event or as the answer) re-lists this
 *   informer only.
 * - A refused or broken list or watch keeps what is held (the last known
 *   state) and retries after the answer's `Retry-After`, else with backoff
 *   (1 s doubling to 30 s). `failure` says what happened until it recovers.
 * - A watch that sends nothing for `silentAfterMs` (no event, bookmark or end)
 *   is dropped and opened again from its version.
 */
import { ClusterStream, RefusedError, WatchEvent } from './clusterStream';
import { HeldObjects } from './heldObjects';
import { ObjectRead, READ_KINDS, readPath } from './reads';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** The watch went quiet for longer than the server's renewal plus the request timeout. */
export class SilentError extends Error {
  name = 'SilentError';
}

/** The server no longer has the history the watch asked for: list again. */
class GoneError extends Error {
  name = 'GoneError';
}

export interface InformerOptions {
  read: ObjectRead;
  stream: ClusterStream;
  watchSeconds: number;
  /** A watch silent this long is reopened. */
  silentAfterMs: number;
  /** Whether objects of this namespace are held (undefined: a cluster-scoped object). */
  keeps: (namespace: string | undefined) => boolean;
  /** Told of each failure and how long until the retry. */
  onFailure: (informer: Informer, error: unknown, retryInMs: number) => void;
  /** A failure that will not pass by retrying (404 kind not served, 403): the informer stops. */
  isFinal?: (error: unknown) => string | undefined;
  now: () => number;
}

export class Informer {
  /** namespace ('' for cluster-scoped) → name → trimmed object. */
  private readonly held: HeldObjects;
  private resourceVersion?: string;
  private stopped = false;
  private abortWatch?: () => void;
  private retryTimer?: NodeJS.Timeout;
  private wakeRetry?: () => void;
  private lastEventAt = 0;
  private silenced = false;
  private answered!: () => void;
  /** Settles at the first list, or the first failure. */
  readonly firstAnswer = new Promise<void>(resolve => {
    this.answered = resolve;
  });
  /** Listed at least once: `held` is a state of the cluster. */
  synced = false;
  /** When the informer last knew its state to be current (a list, a watch answer, an event, a clean end). */
  heardAt = 0;
  /** What went wrong since then, until it recovers. */
  failure?: unknown;
  /** Set when the read cannot work here (kind not served, not allowed): why. */
  unavailable?: string;
  /** Lists made (the first and every re-list), and the re-lists a 410 caused. */
  lists = 0;
  expiredRelists = 0;

  constructor(private readonly options: InformerOptions) {
    this.held = new HeldObjects(READ_KINDS[options.read.kind].pack);
  }

  get read(): ObjectRead {
    return this.options.read;
  }

  start(): void {
    this.run().catch(() => {});
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    this.abortWatch?.();
  }

  /** The held objects of a namespace (every namespace when undefined). */
  list(namespace?: string): any[] {
    if (namespace !== undefined) return this.held.list(namespace);
    return this.held.namespaces().flatMap(ns => this.held.list(ns));
  }

  /** Bytes held (packed). */
  heldBytes(): number {
    return this.held.bytes();
  }

  get(name: string, namespace = ''): any | undefined {
    return this.held.get(namespace, name);
  }

  /** Forgets a namespace's objects (it is no longer a tenant's). */
  drop(namespace: string): void {
    this.held.drop(namespace);
  }

  /** Reads a namespace that has just become a tenant's (its objects were not kept until now): one selected list. */
  async fill(namespace: string): Promise<void> {
    const { read, stream } = this.options;
    const list = await stream.list(readPath(read.kind, namespace), {
      labelSelector: read.labelSelector,
    });
    if (!this.options.keeps(namespace)) return;
    this.held.update(namespace, byName => {
      for (const item of list.items ?? []) {
        const name = item.metadata?.name;
        const current = byName.get(name)?.metadata?.resourceVersion;
        const next = item.metadata?.resourceVersion;
        // A watch event may have brought a newer version meanwhile.
        if (current && next && Number(current) > Number(next)) continue;
        byName.set(
          name,
          READ_KINDS[this.read.kind].trim({
            ...item,
            metadata: { namespace, ...item.metadata },
          }),
        );
      }
    });
  }

  /** Closes the current watch when it has been silent too long; the loop opens it again from its version. */
  checkSilence(): void {
    if (
      this.abortWatch &&
      this.options.now() - this.lastEventAt > this.options.silentAfterMs
    ) {
      this.silenced = true;
      this.abortWatch();
    }
  }

  private heard(): void {
    this.heardAt = this.options.now();
    this.lastEventAt = this.heardAt;
  }

  private async run(): Promise<void> {
    // An object, so the watch's callback resets the backoff without closing over a loop-mutated variable.
    const backoff = { retryMs: FIRST_RETRY_MS };
    const resetBackoff = () => {
      backoff.retryMs = FIRST_RETRY_MS;
    };
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watch(resetBackoff);
      } catch (error) {
        if (this.stopped) return;
        if (
          error instanceof GoneError ||
          (error instanceof RefusedError && error.code === 410)
        ) {
          this.resourceVersion = undefined;
          this.expiredRelists++;
          continue;
        }
        const final = this.options.isFinal?.(error);
        if (final) {
          this.unavailable = final;
          this.answered();
          return;
        }
        this.failure = error;
        this.answered();
        const retryAfter =
          error instanceof RefusedError ? error.retryAfterSeconds : undefined;
        let delay: number;
        if (retryAfter !== undefined) delay = retryAfter * 1000;
        else if (error instanceof SilentError) delay = 0;
        else delay = backoff.retryMs;
        if (retryAfter === undefined && !(error instanceof SilentError))
          backoff.retryMs = Math.min(backoff.retryMs * 2, MAX_RETRY_MS);
        this.options.onFailure(this, this.failure, delay);
        await new Promise<void>(resolve => {
          this.wakeRetry = resolve;
          this.retryTimer = setTimeout(resolve, delay);
          this.retryTimer.unref?.();
        });
      }
    }
  }

  private async relist(): Promise<void> {
    const { read, stream } = this.options;
    this.lists++;
    const list = await stream.list(readPath(read.kind, read.namespace), {
      labelSelector: read.labelSelector,
    });
    const groups = new Map<string, Map<string, any>>();
    const trim = READ_KINDS[read.kind].trim;
    for (const item of list.items ?? []) {
      const namespace: string | undefined = item.metadata?.namespace;
      if (!item.metadata?.name || !this.options.keeps(namespace)) continue;
      const key = namespace ?? '';
      if (!groups.has(key)) groups.set(key, new Map());
      groups.get(key)!.set(item.metadata.name, trim(item));
    }
    this.held.replace(groups);
    this.resourceVersion = list.metadata?.resourceVersion;
    this.synced = true;
    this.failure = undefined;
    this.heard();
    this.answered();
  }

  private async watch(opened: () => void): Promise<void> {
    const { read, stream, watchSeconds, silentAfterMs } = this.options;
    let gone = false;
    let broken: unknown;
    this.silenced = false;
    const { ended, abort } = await stream.watch(
      readPath(read.kind, read.namespace),
      {
        labelSelector: read.labelSelector,
        allowWatchBookmarks: 'true',
        resourceVersion: this.resourceVersion ?? '',
        timeoutSeconds: String(watchSeconds),
      },
      event => {
        if (gone || broken || this.stopped) return;
        if (event.type === 'ERROR') {
          // 410: the history is gone, list again; anything else: the server broke the watch off.
          if (event.object?.code === 410) gone = true;
          else
            broken = new RefusedError(
              event.object?.code ?? 500,
              JSON.stringify(event.object),
            );
          abort();
          return;
        }
        this.onEvent(event);
      },
    );
    this.abortWatch = abort;
    this.failure = undefined;
    this.heard();
    opened();
    try {
      await ended;
    } catch (error) {
      if (!gone && !broken && !this.silenced) throw error;
    } finally {
      this.abortWatch = undefined;
    }
    if (gone) throw new GoneError('resourceVersion expired');
    if (broken) throw broken;
    if (this.silenced)
      throw new SilentError(
        `sent nothing on the watch of ${read.id} for ${Math.round(silentAfterMs / 1000)}s`,
      );
    this.heard(); // the server ended the stream cleanly (timeoutSeconds)
  }

  private onEvent(event: WatchEvent): void {
    this.heard();
    const version = event.object?.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (event.type === 'BOOKMARK') return;
    const { name, namespace } = event.object?.metadata ?? {};
    if (!name) return;
    const key = namespace ?? '';
    if (event.type === 'DELETED' || !this.options.keeps(namespace)) {
      if (this.held.get(key, name))
        this.held.update(key, byName => byName.delete(name));
      return;
    }
    this.held.update(key, byName =>
      byName.set(name, READ_KINDS[this.read.kind].trim(event.object)),
    );
  }
}
