/**
 * A packaged Helm chart (`helm package`'s `<chart>-<version>.tgz`, what a Helm repository serves): a gzip'd tar whose
 * top folder is the chart's name. Read in memory with node-tar's parser, bounded, because the archive comes from a
 * chart repository over the network: only `Chart.yaml` and `values.yaml` of the chart itself are kept.
 */
import zlib from 'zlib';
import yaml from 'js-yaml';
import { Parser, ReadEntry } from 'tar';

/**
 * A chart archive larger than this once unzipped is refused (the clearml chart with its subcharts is about 2 MB).
 *
 * @public
 */
export const MAX_CHART_ARCHIVE_BYTES = 64 * 1024 * 1024;

/**
 * What an upgrade reads of a packaged chart.
 *
 * @public
 */
export interface ChartArchive {
  /** `Chart.yaml`, parsed. */
  chart: { name?: string; version?: string; kubeVersion?: string };
  /** `values.yaml`, parsed (an empty file is `{}`). */
  values: Record<string, unknown>;
}

function entryText(entry: ReadEntry): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    entry.on('error', reject);
  });
}

/** The files of the archive's top folder that the upgrade reads, by name. */
async function chartFiles(tar: Buffer): Promise<Map<string, string>> {
  const wanted = new Map<string, Promise<string>>();
  const parser = new Parser({
    strict: true,
    onReadEntry: entry => {
      // `<chart>/Chart.yaml`, `<chart>/values.yaml`; subcharts (`<chart>/charts/…`) are not the chart's own.
      const parts = entry.path.split('/');
      if (
        entry.type === 'File' &&
        parts.length === 2 &&
        ['Chart.yaml', 'values.yaml'].includes(parts[1])
      ) {
        wanted.set(parts[1], entryText(entry));
      } else {
        entry.resume();
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.end(tar);
  });
  const files = new Map<string, string>();
  for (const [name, text] of wanted) files.set(name, await text);
  return files;
}

/**
 * Reads a packaged chart: an Error saying what is wrong when it is not a gzip'd tar, too large, or has no
 * `Chart.yaml` at its top folder.
 *
 * @public
 */
export async function readChartArchive(tgz: Buffer): Promise<ChartArchive> {
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(tgz, { maxOutputLength: MAX_CHART_ARCHIVE_BYTES });
  } catch (error) {
    throw new Error(
      `not a packaged chart (gzip'd tar of at most ${MAX_CHART_ARCHIVE_BYTES} bytes): ${(error as Error).message}`,
    );
  }
  const files = await chartFiles(tar);
  const chartYaml = files.get('Chart.yaml');
  if (chartYaml === undefined)
    throw new Error('not a packaged chart: no <chart>/Chart.yaml');
  const chart = yaml.load(chartYaml, { schema: yaml.CORE_SCHEMA });
  const values = yaml.load(files.get('values.yaml') ?? '', {
    schema: yaml.CORE_SCHEMA,
  });
  if (!chart || typeof chart !== 'object')
    throw new Error('not a packaged chart: Chart.yaml is not a mapping');
  if (values !== undefined && values !== null && typeof values !== 'object')
    throw new Error('values.yaml of the chart is not a mapping');
  return {
    chart: chart as ChartArchive['chart'],
    values: (values ?? {}) as Record<string, unknown>,
  };
}
