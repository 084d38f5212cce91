/**
 * A loopback OCI registry holding Helm charts as `helm push` leaves them (OCI distribution spec): the repository
 * `<namespace>/<chart>`, the tag = the chart version (`+` as `_`), a manifest with the Helm config blob (the
 * Chart.yaml fields as JSON, `application/vnd.cncf.helm.config.v1+json`) and the chart layer
 * (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`, the packaged .tgz). With `auth: 'bearer'` it answers 401 with
 * a Bearer challenge and issues anonymous pull tokens at `/token` (the Docker registry token spec, as ghcr.io and
 * Docker Hub do for public images); with `auth: 'basic'` it wants credentials (a private registry). Errors are the
 * spec's JSON (`MANIFEST_UNKNOWN`, `BLOB_UNKNOWN`, `UNAUTHORIZED`). Records every request path.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { packagedChartYaml } from './index';

const sha256 = (b: Buffer) =>
  `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

export interface OciRegistryDoubleOptions {
  charts: string[];
  /** The path the charts are pushed under, e.g. `clearml` for `oci://<host>/clearml`. */
  namespace: string;
  auth: 'none' | 'bearer' | 'basic';
}

export class OciRegistryDouble {
  readonly requests: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly namespace: string,
  ) {}

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What a platform configures: `oci://<host>/<namespace>`. */
  get repository(): string {
    return `oci://${this.host}/${this.namespace}`;
  }

  static async start(
    options: OciRegistryDoubleOptions,
  ): Promise<OciRegistryDouble> {
    // The handler runs only once the server listens, when the instance exists.
    const self: { current?: OciRegistryDouble } = {};
    const blobs = new Map<string, Buffer>();
    const manifests = new Map<string, Buffer>();
    for (const file of options.charts) {
      const archive = fs.readFileSync(file);
      const chart = packagedChartYaml(archive);
      const config = Buffer.from(JSON.stringify(chart));
      blobs.set(sha256(archive), archive);
      blobs.set(sha256(config), config);
      const manifest = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.cncf.helm.config.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            digest: sha256(archive),
            size: archive.length,
          },
        ],
      };
      const tag = String(chart.version).replace(/\+/g, '_');
      manifests.set(
        `${options.namespace}/${chart.name}:${tag}`,
        Buffer.from(JSON.stringify(manifest)),
      );
    }
    const tokens = new Set<string>();
    const error = (
      res: http.ServerResponse,
      status: number,
      code: string,
      message: string,
      extra = {},
    ) =>
      res
        .writeHead(status, { 'Content-Type': 'application/json', ...extra })
        .end(JSON.stringify({ errors: [{ code, message }] }));

    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://double');
      self.current!.requests.push(url.pathname);
      if (url.pathname === '/token') {
        if (options.auth !== 'bearer')
          return error(res, 401, 'UNAUTHORIZED', 'authentication required');
        const token = crypto.randomBytes(16).toString('hex');
        tokens.add(token);
        return res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ token }));
      }
      const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
      if (!m || req.method !== 'GET')
        return error(
          res,
          404,
          'NAME_UNKNOWN',
          'repository name not known to registry',
        );
      const [, name, kind, ref] = m;
      if (options.auth !== 'none') {
        const bearer = /^Bearer (.+)$/.exec(
          req.headers.authorization ?? '',
        )?.[1];
        if (!bearer || !tokens.has(bearer)) {
          const challenge =
            options.auth === 'bearer'
              ? `Bearer realm="http://${self.current!.host}/token",service="${self.current!.host}",scope="repository:${name}:pull"`
              : `Basic realm="${self.current!.host}"`;
          return error(res, 401, 'UNAUTHORIZED', 'authentication required', {
            'WWW-Authenticate': challenge,
          });
        }
      }
      if (kind === 'manifests') {
        const manifest = manifests.get(`${name}:${decodeURIComponent(ref)}`);
        if (!manifest)
          return error(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        return res
          .writeHead(200, {
            'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
            'Docker-Content-Digest': sha256(manifest),
          })
          .end(manifest);
      }
      const blob = blobs.get(ref);
      if (!blob || ![...manifests.keys()].some(k => k.startsWith(`${name}:`)))
        return error(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
      return res
        .writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': blob.length,
        })
        .end(blob);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const double = new OciRegistryDouble(server, options.namespace);
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
