/**
 * Lists and watches as the shared view needs them, over the cluster's
 * KubeConfig (its token, CA, skipTLSVerify, proxy: client-node's
 * `applyToHTTPSOptions`). client-node 1.4's `Watch` turns a refused watch
 * into a bare `statusCode` (no body, no `Retry-After`), and its informer
 * neither asks for bookmarks nor keeps only part of what it lists; this keeps
 * the answer's status, `Retry-After` and Status body, and hands every watch
 * event (BOOKMARK and ERROR included) to the caller.
 */
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClearmlCluster } from '@clearml-openshift/plugin-clearml-node';

/** A refused list or watch: the HTTP status, the server's Status body and its `Retry-After` (seconds). */
export class RefusedError extends Error {
  name = 'RefusedError';
  constructor(
    readonly code: number,
    readonly body: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${code}`);
  }
}

/** No answer within the request timeout (what clearml-node's error wording calls a timeout). */
export class NoAnswerError extends Error {
  name = 'TimeoutError';
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

export interface ClusterStream {
  /** One list (GET, JSON); rejects with RefusedError on a non-200 answer. */
  list(path: string, query: Record<string, string>): Promise<any>;
  /**
   * Opens a watch: resolves once the server answered 200 (then `onEvent` gets each event, and `ended` settles
   * when the stream ends: cleanly, or with the error that broke it); rejects with RefusedError otherwise.
   */
  watch(
    path: string,
    query: Record<string, string>,
    onEvent: (event: WatchEvent) => void,
  ): Promise<{ ended: Promise<void>; abort: () => void }>;
}

/**
 * Builds a cluster's stream, answering within `timeoutMs` (the cluster's request timeout); the production default
 * is `kubeConfigStream(buildKubeConfig(cluster, 'read'), timeoutMs)`.
 */
export type ClusterStreamFactory = (
  cluster: ClearmlCluster,
  timeoutMs: number,
) => ClusterStream;

function retryAfterOf(
  header: string | string[] | undefined,
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date)
    ? undefined
    : Math.max(0, (date - Date.now()) / 1000);
}

/** A ClusterStream over a KubeConfig; `timeoutMs` bounds the wait for an answer (not the life of a watch). */
export function kubeConfigStream(
  kubeConfig: KubeConfig,
  timeoutMs: number,
): ClusterStream {
  const open = async (
    path: string,
    query: Record<string, string>,
  ): Promise<{ res: http.IncomingMessage; req: http.ClientRequest }> => {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('No current cluster in the KubeConfig');
    const url = new URL(server.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(query))
      url.searchParams.set(key, value);
    const options: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(url, {
        method: 'GET',
        agent: options.agent,
        headers: { ...options.headers, accept: 'application/json' },
      });
      const timer = setTimeout(() => {
        req.destroy(new NoAnswerError(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('response', res => {
        clearTimeout(timer);
        resolve({ res, req });
      });
      req.on('error', error => {
        clearTimeout(timer);
        reject(error);
      });
      req.end();
    });
  };
  const body = (res: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
  const refused = async (res: http.IncomingMessage) =>
    new RefusedError(
      res.statusCode ?? 0,
      await body(res).catch(() => ''),
      retryAfterOf(res.headers['retry-after']),
    );

  return {
    async list(path, query) {
      const { res, req } = await open(path, query);
      if (res.statusCode !== 200) throw await refused(res);
      // The whole list must arrive within the timeout too: a server that stalls mid-body is not answering.
      const timer = setTimeout(
        () =>
          req.destroy(
            new NoAnswerError(`list not complete in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      try {
        return JSON.parse(await body(res));
      } finally {
        clearTimeout(timer);
      }
    },
    async watch(path, query, onEvent) {
      const { res, req } = await open(path, { ...query, watch: 'true' });
      if (res.statusCode !== 200) throw await refused(res);
      const ended = new Promise<void>((resolve, reject) => {
        const lines = createInterface({ input: res });
        lines.on('error', reject);
        lines.on('line', line => {
          if (!line.trim()) return;
          let event: WatchEvent;
          try {
            event = JSON.parse(line);
          } catch {
            return; // a torn line: the stream's end follows
          }
          onEvent(event);
        });
        res.on('error', reject);
        req.on('error', reject);
        res.on('close', () => resolve());
      });
      return { ended, abort: () => req.destroy() };
    },
  };
}
