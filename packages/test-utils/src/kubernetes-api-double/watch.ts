/**
 * `?watch=true` on a list path: a chunked stream of `{"type":…,"object":…}`
 * lines, one per change of a matching object, as the API server sends them.
 * Changes are kept in a short log, so a watch from the `resourceVersion` of a
 * list replays what happened in between; a version older than the log is
 * answered like etcd's compaction: one `ERROR` event with a 410 `Expired`
 * Status, then the end of the stream. `timeoutSeconds` ends the stream
 * cleanly, as the server does.
 *
 * With `allowWatchBookmarks=true` the stream also carries `BOOKMARK` events
 * (an object of the watched kind with only `metadata.resourceVersion`, the
 * cluster's revision): every `bookmarkMs` and once just before
 * `timeoutSeconds` ends it, as the API server's watch cache sends them, so a
 * client that resumes from a bookmark is not sent back to a list by changes of
 * objects it does not watch.
 */
import http from 'node:http';
import { apiVersionOf, ResourceType } from './resources';
import { matchesFieldSelector, matchesLabelSelector } from './selectors';
import { KubeObject } from './store';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: WatchEventType;
  object: KubeObject;
  /** The cluster revision after the change. */
  revision: number;
  /** The object before a MODIFIED change. */
  previous?: KubeObject;
}

interface OpenWatch {
  type: ResourceType;
  namespace?: string;
  query: Record<string, string>;
  res: http.ServerResponse;
  /** Bytes written so far (the double's per-request byte count). */
  onBytes: (n: number) => void;
  path: string;
}

/** How many changes the double remembers for watches that start from an older version. */
const LOG_SIZE = 10_000;

export class WatchHub {
  private readonly log: StoreChange[] = [];
  private readonly open = new Set<OpenWatch>();
  private firstRevision = 0;

  /** `bookmarkMs`: how often a watch that asked for bookmarks gets one (the API server: about a minute). */
  constructor(
    private readonly currentRevision: () => number,
    private readonly bookmarkMs = 60_000,
  ) {}

  /** Forgets the changes up to now, as etcd's compaction does: watches from an older version get 410. */
  compact(): void {
    this.log.length = 0;
    this.firstRevision = this.currentRevision() + 1;
  }

  /** Called by the store for every persisted change. */
  record(change: StoreChange): void {
    if (!this.firstRevision) this.firstRevision = change.revision;
    this.log.push(change);
    if (this.log.length > LOG_SIZE) {
      this.log.shift();
      this.firstRevision = this.log[0].revision;
    }
    for (const watch of this.open) this.deliver(watch, change);
  }

  /** Open watches, for tests of reconnection. */
  get size(): number {
    return this.open.size;
  }

  /** Starts a stream on `res`. `currentRevision` is the store's version now. */
  start(
    res: http.ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: Record<string, string>,
    currentRevision: number,
    onBytes: (n: number) => void,
    path = '',
  ): void {
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      'cache-control': 'no-cache, private',
    });
    res.flushHeaders();
    const watch: OpenWatch = { type, namespace, query, res, onBytes, path };
    const from = query.resourceVersion
      ? Number(query.resourceVersion)
      : currentRevision;
    if (this.firstRevision && from < this.firstRevision - 1) {
      this.write(watch, {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${from} (${this.firstRevision - 1})`,
          reason: 'Expired',
          code: 410,
        },
      });
      res.end();
      return;
    }
    this.open.add(watch);
    const stop = () => this.open.delete(watch);
    res.on('close', stop);
    for (const change of this.log)
      if (change.revision > from) this.deliver(watch, change);
    const bookmarks = query.allowWatchBookmarks === 'true';
    if (bookmarks) {
      const every = setInterval(() => this.bookmark(watch), this.bookmarkMs);
      every.unref();
      res.on('close', () => clearInterval(every));
    }
    const timeout = Number(query.timeoutSeconds);
    if (timeout > 0) {
      const timer = setTimeout(() => {
        if (bookmarks) this.bookmark(watch);
        stop();
        res.end();
      }, timeout * 1000);
      timer.unref();
      res.on('close', () => clearTimeout(timer));
    }
  }

  /** Ends the open streams (all, or those `which` picks by path): the server going away, or restarting one. */
  endAll(which: (path: string) => boolean = () => true): void {
    for (const watch of [...this.open]) {
      if (!which(watch.path)) continue;
      watch.res.end();
      this.open.delete(watch);
    }
  }

  private bookmark(watch: OpenWatch): void {
    if (!this.open.has(watch)) return;
    this.write(watch, {
      type: 'BOOKMARK',
      object: {
        kind: watch.type.kind,
        apiVersion: apiVersionOf(watch.type),
        metadata: { resourceVersion: String(this.currentRevision()) },
      },
    });
  }

  private deliver(watch: OpenWatch, change: StoreChange): void {
    const o = change.object;
    if (o.apiVersion !== apiVersionOf(watch.type) || o.kind !== watch.type.kind)
      return;
    if (
      watch.type.namespaced &&
      watch.namespace !== undefined &&
      o.metadata?.namespace !== watch.namespace
    )
      return;
    const matches = (x: KubeObject) =>
      matchesLabelSelector(watch.query.labelSelector, x.metadata?.labels) &&
      matchesFieldSelector(watch.query.fieldSelector, x);
    const now = matches(o);
    if (change.type === 'MODIFIED' && change.previous) {
      // As the API server's watch cache: an object that starts or stops matching the selectors is ADDED or DELETED.
      const before = matches(change.previous);
      if (!before && !now) return;
      let type: 'MODIFIED' | 'ADDED' | 'DELETED' = 'DELETED';
      if (before && now) type = 'MODIFIED';
      else if (now) type = 'ADDED';
      this.write(watch, { type, object: o });
      return;
    }
    if (!now) return;
    this.write(watch, { type: change.type, object: o });
  }

  private write(watch: OpenWatch, event: unknown): void {
    const line = `${JSON.stringify(event)}\n`;
    watch.onBytes(Buffer.byteLength(line));
    watch.res.write(line);
  }
}
