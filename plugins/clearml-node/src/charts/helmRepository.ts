/**
 * Packaged charts from a chart's Helm repository, as Helm gets them: `GET <repository>/index.yaml`, the entry of the
 * chart and version, its first URL (resolved against the repository URL when relative), the archive checked against
 * the entry's sha256 `digest`; or, for an OCI registry (`oci://…`), its manifest and chart layer (ociRegistry.ts).
 * Only for what the platform configured (`clearml.charts.<chart>.repository`); bounded in size and time.
 */
import crypto from 'crypto';
import yaml from 'js-yaml';
import type { ChartSource } from './knownCharts';
import { ChartArchive, readChartArchive } from './chartArchive';
import { pullOciChart } from './ociRegistry';

/** index.yaml of a big public repository is some MB; more is refused. */
const MAX_INDEX_BYTES = 32 * 1024 * 1024;
/** A packaged chart (compressed); the clearml chart is about 220 kB. */
const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * How the client makes HTTP requests; production: the global `fetch`.
 *
 * @public
 */
export type HelmRepositoryFetch = (
  url: string,
  init: { signal: AbortSignal; headers?: Record<string, string> },
) => Promise<Response>;

/**
 * Why a chart's packaged archive could not be read (the values differences are then unavailable, not empty).
 *
 * @public
 */
export class ChartArchiveUnavailableError extends Error {
  name = 'ChartArchiveUnavailableError';
}

async function readBounded(
  response: Response,
  max: number,
  what: string,
): Promise<Buffer> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > max)
    throw new ChartArchiveUnavailableError(
      `${what} is ${length} bytes, more than ${max}`,
    );
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new ChartArchiveUnavailableError(
        `${what} is more than ${max} bytes`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Helm's rule (repo.ResolveReferenceURL): an absolute URL stays; a relative one resolves against `<repository>/`. */
function resolveChartUrl(repository: string, url: string): string {
  return new URL(url, `${repository.replace(/\/+$/, '')}/`).toString();
}

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

async function readArchive(
  archive: Buffer,
  where: string,
): Promise<ChartArchive> {
  try {
    return await readChartArchive(archive);
  } catch (error) {
    throw new ChartArchiveUnavailableError(
      `${where}: ${(error as Error).message}`,
    );
  }
}

function checked(
  read: ChartArchive,
  chart: string,
  version: string,
  where: string,
): ChartArchive {
  if (read.chart.name !== chart || String(read.chart.version) !== version) {
    throw new ChartArchiveUnavailableError(
      `${where} holds chart ${read.chart.name} ${read.chart.version}, not ${chart} ${version}`,
    );
  }
  return read;
}

/**
 * Reads packaged charts from Helm repositories.
 *
 * @public
 */
export interface HelmRepositoryClient {
  /** The chart archive of `source` (chart, version, repository); a ChartArchiveUnavailableError says why not. */
  chartArchive(
    source: Pick<ChartSource, 'chart' | 'version' | 'repository'>,
  ): Promise<ChartArchive>;
}

/**
 * A Helm repository client over HTTP; `fetch` defaults to the global one.
 *
 * @public
 */
export function helmRepositoryClient(
  options: {
    fetch?: HelmRepositoryFetch;
    /** Talk to OCI registries over plain http (Helm's `--plain-http`); default false. */
    ociPlainHttp?: boolean;
  } = {},
): HelmRepositoryClient {
  const doFetch: HelmRepositoryFetch =
    options.fetch ?? ((url, init) => fetch(url, init));
  const get = async (url: string, max: number, what: string) => {
    let response: Response;
    try {
      response = await doFetch(url, {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ChartArchiveUnavailableError(
        `GET ${url} failed: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ChartArchiveUnavailableError(
        `GET ${url} answered ${response.status}`,
      );
    }
    return readBounded(response, max, what);
  };

  return {
    async chartArchive(source) {
      const { chart, version, repository } = source;
      if (repository.startsWith('oci://')) {
        let archive: Buffer;
        try {
          archive = await pullOciChart({
            repository,
            chart,
            version,
            plainHttp: options.ociPlainHttp,
            get: async (url, headers) => {
              const response = await doFetch(url, {
                signal: AbortSignal.timeout(TIMEOUT_MS),
                headers,
              });
              return {
                status: response.status,
                headers: response.headers,
                body: () => readBounded(response, MAX_ARCHIVE_BYTES, url),
              };
            },
          });
        } catch (error) {
          throw new ChartArchiveUnavailableError((error as Error).message);
        }
        return checked(
          await readArchive(archive, repository),
          chart,
          version,
          repository,
        );
      }
      const indexUrl = `${repository.replace(/\/+$/, '')}/index.yaml`;
      let index: { entries?: Record<string, IndexEntry[]> };
      try {
        index = yaml.load(
          (await get(indexUrl, MAX_INDEX_BYTES, indexUrl)).toString('utf8'),
          {
            schema: yaml.CORE_SCHEMA,
          },
        ) as typeof index;
      } catch (error) {
        if (error instanceof ChartArchiveUnavailableError) throw error;
        throw new ChartArchiveUnavailableError(
          `${indexUrl} is not a Helm repository index: ${(error as Error).message}`,
        );
      }
      const entry = (index?.entries?.[chart] ?? []).find(
        e => String(e.version) === version,
      );
      const url = Array.isArray(entry?.urls) ? entry!.urls[0] : undefined;
      if (!entry || typeof url !== 'string') {
        throw new ChartArchiveUnavailableError(
          `${indexUrl} has no chart ${chart} version ${version}`,
        );
      }
      const archiveUrl = resolveChartUrl(repository, url);
      const archive = await get(archiveUrl, MAX_ARCHIVE_BYTES, archiveUrl);
      if (typeof entry.digest === 'string') {
        const digest = crypto
          .createHash('sha256')
          .update(archive)
          .digest('hex');
        if (digest !== entry.digest.replace(/^sha256:/, '')) {
          throw new ChartArchiveUnavailableError(
            `${archiveUrl}: sha256 ${digest} is not the digest ${entry.digest} of ${indexUrl}`,
          );
        }
      }
      return checked(
        await readArchive(archive, archiveUrl),
        chart,
        version,
        archiveUrl,
      );
    },
  };
}
