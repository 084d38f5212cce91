/**
 * A chart from an OCI registry (`oci://<host>/<path>`), as `helm pull oci://…` gets it (OCI distribution spec):
 * `GET /v2/<path>/<chart>/manifests/<version>` (Helm writes a version's `+` as `_` in the tag), the one layer of
 * media type `application/vnd.cncf.helm.chart.content.v1.tar+gzip`, `GET /v2/<path>/<chart>/blobs/<digest>`, checked
 * against its sha256 digest. A registry that answers 401 with a Bearer challenge gets the anonymous token flow
 * (`GET <realm>?service=…&scope=repository:<path>/<chart>:pull`, the Docker registry token spec); one that wants
 * credentials (the private enterprise charts, a Basic challenge, a refused token) makes the archive unavailable, and
 * the reason says so: this product holds no registry credentials.
 */
import crypto from 'crypto';

/** Helm's media types (helm pkg/registry/constants.go). */
export const HELM_CHART_LAYER_MEDIA_TYPE =
  'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

type Get = (
  url: string,
  headers: Record<string, string>,
) => Promise<{ status: number; headers: Headers; body: () => Promise<Buffer> }>;

/** `Bearer realm="…",service="…",scope="…"` → its parameters; undefined for another scheme. */
function bearerChallenge(
  header: string | null,
): Record<string, string> | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g))
    params[m[1]] = m[2];
  return params;
}

/** The chart's repository path and base URL on the registry. */
export function ociChartLocation(
  repository: string,
  chart: string,
  plainHttp: boolean,
): { base: string; name: string } {
  const url = new URL(repository.replace(/^oci:\/\//, 'https://'));
  const name = `${url.pathname.replace(/^\/+|\/+$/g, '')}/${chart}`.replace(
    /^\//,
    '',
  );
  return { base: `${plainHttp ? 'http' : 'https'}://${url.host}`, name };
}

/**
 * The packaged chart's bytes from an OCI registry; throws an Error saying why not.
 *
 * @public
 */
export async function pullOciChart(options: {
  repository: string;
  chart: string;
  version: string;
  get: Get;
  plainHttp?: boolean;
}): Promise<Buffer> {
  const { base, name } = ociChartLocation(
    options.repository,
    options.chart,
    options.plainHttp ?? false,
  );
  const where = `${options.repository}/${options.chart}:${options.version}`;
  let authorization: string | undefined;
  const request = async (url: string, accept?: string) => {
    const headers: Record<string, string> = {
      ...(accept ? { Accept: accept } : {}),
      ...(authorization ? { Authorization: authorization } : {}),
    };
    let response = await options.get(url, headers);
    if (response.status === 401 && !authorization) {
      const challenge = bearerChallenge(
        response.headers.get('www-authenticate'),
      );
      if (!challenge?.realm || !/^https?:\/\//.test(challenge.realm))
        throw new Error(
          `${where}: the registry wants credentials (${response.headers.get('www-authenticate') ?? 'no challenge'}), and none are configured`,
        );
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service)
        tokenUrl.searchParams.set('service', challenge.service);
      tokenUrl.searchParams.set(
        'scope',
        challenge.scope ?? `repository:${name}:pull`,
      );
      const tokenResponse = await options.get(tokenUrl.toString(), {});
      if (tokenResponse.status !== 200)
        throw new Error(
          `${where}: the registry's token service refused an anonymous pull (${tokenResponse.status}); the chart needs credentials, and none are configured`,
        );
      const body = JSON.parse((await tokenResponse.body()).toString('utf8'));
      const token = body.token ?? body.access_token;
      if (typeof token !== 'string')
        throw new Error(
          `${where}: the registry's token service returned no token`,
        );
      authorization = `Bearer ${token}`;
      response = await options.get(url, {
        ...headers,
        Authorization: authorization,
      });
    }
    if (response.status !== 200)
      throw new Error(`${where}: GET ${url} answered ${response.status}`);
    return response.body();
  };

  const tag = options.version.replace(/\+/g, '_');
  const manifest = JSON.parse(
    (
      await request(
        `${base}/v2/${name}/manifests/${encodeURIComponent(tag)}`,
        MANIFEST_MEDIA_TYPE,
      )
    ).toString('utf8'),
  );
  const layer = (manifest.layers ?? []).find(
    (l: any) => l?.mediaType === HELM_CHART_LAYER_MEDIA_TYPE,
  );
  if (
    !layer ||
    typeof layer.digest !== 'string' ||
    !/^sha256:[0-9a-f]{64}$/.test(layer.digest)
  )
    throw new Error(
      `${where}: the manifest has no Helm chart layer (${HELM_CHART_LAYER_MEDIA_TYPE})`,
    );
  const blob = await request(`${base}/v2/${name}/blobs/${layer.digest}`);
  const digest = `sha256:${crypto.createHash('sha256').update(blob).digest('hex')}`;
  if (digest !== layer.digest)
    throw new Error(
      `${where}: the chart layer's ${digest} is not the manifest's ${layer.digest}`,
    );
  return blob;
}
