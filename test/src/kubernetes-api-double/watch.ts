/**
 * `?watch=true` on a list path: a chunked stream of `{"type":…,"object":…}`
 * lines, one per change of a matching object, as the API server sends them.
 * Changes are kept in a short log, so a watch from the `resourceVersion` of a
 * list replays what happened in between; a version older than the log is
 * answered like etcd's compaction: one `ERROR` event with a 410 `Expired`
 * Status, then the end of the stream. `timeoutSeconds` ends the stream
 * cleanly, as the server does.
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
}

interface OpenWatch {
  type: ResourceType;
  namespace?: string;
  query: Record<string, string>;
  res: http.ServerResponse;
  /** Bytes written so far (the double's per-request byte count). */
  onBytes: (n: number) => void;
}

/** How many changes the double remembers for watches that start from an older version. */
const LOG_SIZE = 10_000;

export class WatchHub {
  private readonly log: StoreChange[] = [];
  private readonly open = new Set<OpenWatch>();
  private firstRevision = 0;

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
  ): void {
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      'cache-control': 'no-cache, private',
    });
    res.flushHeaders();
    const watch: OpenWatch = { type, namespace, query, res, onBytes };
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
    const timeout = Number(query.timeoutSeconds);
    if (timeout > 0) {
      const timer = setTimeout(() => {
        stop();
        res.end();
      }, timeout * 1000);
      timer.unref();
      res.on('close', () => clearTimeout(timer));
    }
  }

  /** Ends every open stream (the server going away). */
  endAll(): void {
    for (const watch of this.open) watch.res.end();
    this.open.clear();
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
    if (!matchesLabelSelector(watch.query.labelSelector, o.metadata?.labels))
      return;
    if (!matchesFieldSelector(watch.query.fieldSelector, o)) return;
    this.write(watch, { type: change.type, object: o });
  }

  private write(watch: OpenWatch, event: unknown): void {
    const line = `${JSON.stringify(event)}\n`;
    watch.onBytes(Buffer.byteLength(line));
    watch.res.write(line);
  }
}
