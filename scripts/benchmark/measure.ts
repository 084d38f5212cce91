/**
 * How the benchmark measures: a real backend with the clearml plugin (startTestBackend) on the double, requests as
 * a browser sends them, what each costs the cluster, percentiles and live heap.
 */
import { AddressInfo } from 'node:net';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClearmlServerDouble,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import clearmlPlugin, {
  clearmlProbeFetchServiceRef,
} from '@clearml-openshift/plugin-clearml-backend';
import { ANCHOR_REPOSITORIES } from '../../plugins/clearml-backend/src/__testUtils__/anchor';
import { entity, READ_TOKEN } from './objects';

/** A row of the printed table: scenario, result. */
export type Row = [string, string];

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

export const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
export const ms = (n: number) => `${n.toFixed(1)} ms`;

export interface Backend {
  /** The clearml plugin's base URL. */
  url: string;
  /** The backend's base URL. */
  root: string;
  stop: () => Promise<void>;
}

export async function startBackend(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  tenants: number | Entity[],
  health: Record<string, unknown>,
  beside: { features: BackendFeature[]; config: Record<string, unknown> } = {
    features: [],
    config: {},
  },
): Promise<Backend> {
  const backend = await startTestBackend({
    features: [
      clearmlPlugin,
      ...beside.features,
      mockServices.rootConfig.factory({
        data: {
          ...beside.config,
          clearml: {
            gitops: { repositories: ANCHOR_REPOSITORIES },
            clusters: [
              {
                name: 'bench',
                url: kube.url,
                serviceAccountToken: READ_TOKEN,
                skipTLSVerify: true,
              },
            ],
            health: { probeEndpoints: false, ...health },
          },
        },
      }),
      catalogServiceMock.factory({
        entities:
          typeof tenants === 'number'
            ? Array.from({ length: tenants }, (_, i) => entity(i))
            : tenants,
      }),
      createServiceFactory({
        service: clearmlProbeFetchServiceRef,
        deps: {},
        factory: () => clearml.fetchVia(),
      }),
    ],
  });
  const root = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  return { url: `${root}/api/clearml`, root, stop: () => backend.stop() };
}

export const headers = {
  authorization: mockCredentials.user.header('user:default/bench'),
};

export async function timed(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${url}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export const health = (b: Backend, i: number) =>
  `${b.url}/v1/health?entityRef=resource:default/t${i}`;

/** What one request costs the cluster: calls (tenant objects and events; namespace ownership checks apart) and bytes. */
export function cost(kube: KubernetesApiDouble) {
  const reads = kube.requests.filter(r => r.verb !== 'watch');
  const ownership = reads.filter(
    r =>
      r.verb === 'get' &&
      r.path.startsWith('/api/v1/namespaces/') &&
      r.path.split('/').length === 5,
  );
  const objects = reads.filter(r => !ownership.includes(r));
  return {
    calls: objects.length,
    bytes: objects.reduce((s, r) => s + r.bytes, 0),
    ownership: ownership.length,
    watches: kube.requests.filter(r => r.verb === 'watch').length,
  };
}

/** A view: one request as the user's browser sends it; its latency and JSON answer. */
export async function requestView(
  url: string,
  body?: unknown,
): Promise<{ ms: number; json: any }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: body
      ? { ...headers, 'content-type': 'application/json' }
      : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status !== 200)
    throw new Error(`HTTP ${res.status} for ${url}: ${JSON.stringify(json)}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, json };
}

export async function fleetSweep(backend: Backend) {
  const started = Date.now();
  const res = await fetch(`${backend.url}/v1/tenants`, { headers });
  const body = (await res.json()) as {
    items: Array<{ status: string; stale?: unknown; error?: string }>;
  };
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for the fleet`);
  return {
    ms: Date.now() - started,
    unknown: body.items.filter(r => r.status === 'unknown').length,
    stale: body.items.filter(r => r.stale).length,
    items: body.items.length,
  };
}

v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');
/** Heap in use after a full collection (objects still reachable). */
export function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A token that may read everything (the weather scenarios). */
export const readerToken = [
  {
    name: 'health-reader',
    token: READ_TOKEN,
    rules: [
      { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
    ],
  },
];

/** The Markdown table for the README. */
export function printTable(rows: Array<[string, string]>): void {
  console.log(
    `Health API benchmark (${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}; API double on loopback, no network latency)\n`,
  );
  console.log('| scenario | result |');
  console.log('|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}
