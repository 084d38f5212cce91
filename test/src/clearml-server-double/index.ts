/**
 * A loopback stand-in for a tenant's public ClearML endpoints behind the
 * OpenShift router: the apiserver's `/debug.ping`, the fileserver's `/`
 * (200 `OK`, or 405 on servers before 1.10) and the webserver's `/`,
 * answered the way ClearML answers them (docs/openshift-and-clearml.md#endpoints). The public host
 * is taken from `X-Forwarded-Host` (else `Host`), so one server plays every
 * tenant host: `api.*`, `files.*`, `app.*`.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export type ClearmlEndpointRole = 'api' | 'files' | 'app';

export interface ClearmlServerDoubleRequest {
  method: string;
  host: string;
  path: string;
}

export class ClearmlServerDouble {
  readonly requests: ClearmlServerDoubleRequest[] = [];
  /** Per host: answer with this status instead (e.g. 503, as the router does with no ready endpoint). */
  private readonly overrides = new Map<string, number>();
  /** Hosts that accept the connection and never answer (a hung pod). */
  private readonly silent = new Set<string>();
  private fileserverStatus = 200;
  private server!: http.Server;
  private baseUrl = '';

  static async start(
    options: { legacyFileserver?: boolean } = {},
  ): Promise<ClearmlServerDouble> {
    const double = new ClearmlServerDouble();
    if (options.legacyFileserver) double.fileserverStatus = 405;
    double.server = http.createServer((req, res) => double.handle(req, res));
    await new Promise<void>(resolve =>
      double.server.listen(0, '127.0.0.1', resolve),
    );
    double.baseUrl = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
    return double;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Makes a host answer every request with `status`. */
  answer(host: string, status: number): void {
    this.overrides.set(host, status);
  }

  /** Makes a host never answer. */
  hang(host: string): void {
    this.silent.add(host);
  }

  /**
   * A `fetch` that sends what would go to `https://<host>/<path>` to this
   * server instead, naming the host in `X-Forwarded-Host`: how tests reach
   * Route hosts that have no DNS.
   */
  fetchVia(): (url: string, init?: RequestInit) => Promise<Response> {
    return (url, init) => {
      const target = new URL(url);
      const headers = new Headers(init?.headers);
      headers.set('x-forwarded-host', target.host);
      return fetch(`${this.baseUrl}${target.pathname}${target.search}`, {
        ...init,
        headers,
      });
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = String(
      req.headers['x-forwarded-host'] ?? req.headers.host ?? '',
    ).replace(/:\d+$/, '');
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    this.requests.push({ method: req.method ?? 'GET', host, path });
    if (this.silent.has(host)) return;
    const override = this.overrides.get(host);
    if (override) {
      res.writeHead(override, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>${override}</h1></body></html>`);
      return;
    }
    const role = host.split('.')[0];
    if (role === 'api' && path === '/debug.ping') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          meta: {
            id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
            trx: 'c0ffee00c0ffee00c0ffee00c0ffee00',
            endpoint: {
              name: 'debug.ping',
              requested_version: '2.31',
              actual_version: '1.0',
            },
            result_code: 200,
            result_subcode: 0,
            result_msg: 'OK',
            error_stack: '',
            error_data: {},
          },
          data: { msg: 'ClearML server' },
        }),
      );
      return;
    }
    if (role === 'files' && path === '/') {
      res.writeHead(this.fileserverStatus, { 'content-type': 'text/plain' });
      res.end(this.fileserverStatus === 200 ? 'OK' : 'Method Not Allowed');
      return;
    }
    if (role === 'app' && (path === '/' || path === '/version.json')) {
      const json = path === '/version.json';
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'text/html',
      });
      res.end(
        json
          ? JSON.stringify({ version: '1.17.1' })
          : '<!doctype html><html><head><title>ClearML</title></head><body></body></html>',
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  }
}
