/**
 * A loopback Helm chart repository, as `helm repo index` and a static web server make one (GitHub Pages for ClearML's
 * charts): `GET /index.yaml` lists every chart archive it was started with (`apiVersion: v1`, `entries.<chart>[]`
 * with the archive's Chart.yaml fields, `urls` relative to the repository as `helm repo index` writes them,
 * `created`, and `digest` = sha256 of the archive), `GET /<file>.tgz` serves the archive; anything else is 404.
 * Serves under a path prefix when given one (`http://127.0.0.1:<port>/charts`). Records every request path.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import yaml from 'js-yaml';

/** `<chart>/Chart.yaml` of a packaged chart (a gzip'd ustar archive), read with Node alone. */
export function packagedChartYaml(tgz: Buffer): Record<string, unknown> {
  const tar = zlib.gunzipSync(tgz);
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    const size = parseInt(
      header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    const full = prefix ? `${prefix}/${name}` : name;
    if (/^[^/]+\/Chart\.yaml$/.test(full)) {
      return yaml.load(
        tar.toString('utf8', offset + 512, offset + 512 + size),
      ) as Record<string, unknown>;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no <chart>/Chart.yaml in the archive');
}

export interface HelmRepositoryDoubleOptions {
  /** Packaged chart files to serve (their Chart.yaml names the chart and version). */
  charts: string[];
  /** Path the repository is served under, e.g. `/charts` (default: the root). */
  pathPrefix?: string;
  /** Write absolute archive URLs into index.yaml instead of relative ones (as some repositories do). */
  absoluteUrls?: boolean;
}

export class HelmRepositoryDouble {
  /** Every request path, in order. */
  readonly requests: string[] = [];
  /** Replaces an archive's bytes as served (the index keeps the original digest): a tampered mirror. */
  readonly tampered = new Map<string, Buffer>();

  private constructor(
    private readonly server: http.Server,
    private readonly prefix: string,
  ) {}

  /** The repository URL a platform configures (`clearml.charts.<chart>.repository`). */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.prefix}`;
  }

  static async start(
    options: HelmRepositoryDoubleOptions,
  ): Promise<HelmRepositoryDouble> {
    // The handler runs only once the server listens, when the instance exists.
    const self: { current?: HelmRepositoryDouble } = {};
    const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
    const archives = new Map(
      options.charts.map(file => [path.basename(file), fs.readFileSync(file)]),
    );
    const created = new Date('2025-03-12T10:00:00Z').toISOString();
    const index = () => {
      const entries: Record<string, unknown[]> = {};
      for (const [file, content] of archives) {
        const chart = packagedChartYaml(content);
        (entries[String(chart.name)] ??= []).push({
          ...chart,
          urls: [options.absoluteUrls ? `${self.current!.url}/${file}` : file],
          created,
          digest: crypto.createHash('sha256').update(content).digest('hex'),
        });
      }
      return yaml.dump({ apiVersion: 'v1', entries, generated: created });
    };
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://double');
      self.current!.requests.push(url.pathname);
      const file = url.pathname.startsWith(`${prefix}/`)
        ? url.pathname.slice(prefix.length + 1)
        : undefined;
      if (req.method !== 'GET' || file === undefined) {
        res
          .writeHead(404, { 'Content-Type': 'text/plain' })
          .end('404 page not found\n');
        return;
      }
      if (file === 'index.yaml') {
        res
          .writeHead(200, { 'Content-Type': 'application/x-yaml' })
          .end(index());
        return;
      }
      const archive = self.current!.tampered.get(file) ?? archives.get(file);
      if (!archive) {
        res
          .writeHead(404, { 'Content-Type': 'text/plain' })
          .end('404 page not found\n');
        return;
      }
      res
        .writeHead(200, {
          'Content-Type': 'application/gzip',
          'Content-Length': archive.length,
        })
        .end(archive);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const double = new HelmRepositoryDouble(server, prefix);
    self.current = double;
    return double;
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
