/**
 * Benchmark of the health API against the Kubernetes API double (run by hand,
 * not in CI):
 *
 *   npx sucrase-node plugins/clearml-backend/scripts/benchmark.ts [coldTenants=50] [warmRequests=500] [viewers=100]
 *
 * Measures the Kubernetes calls one check makes, p50/p95 latency of the
 * endpoint cold (every request a tenant not yet cached) and warm (cached),
 * and the calls made when many viewers open one tenant's page at once.
 * Prints a Markdown table for the README.
 */
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { tenantEntityAnnotations } from '@clearml-openshift/plugin-clearml-common';
import { ClearmlServerDouble, FixtureTenant, healthyTenantObjects, KubernetesApiDouble } from '@internal/clearml-test';
import clearmlPlugin from '../src';
import { clearmlProbeFetchServiceRef } from '../src/services';

const [coldTenants = 50, warmRequests = 500, viewers = 100] = process.argv.slice(2).map(Number);
const READ_TOKEN = 'benchmark-read-token';

function tenant(i: number): FixtureTenant {
  return { namespace: `clearml-t${i}`, release: 'clearml', edition: 'oss', domain: `t${i}.clearml.apps.bench.example.com` };
}

function entity(i: number): Entity {
  const t = tenant(i);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `t${i}`,
      namespace: 'default',
      annotations: tenantEntityAnnotations({ cluster: 'bench', namespace: t.namespace, release: t.release, edition: t.edition, tenant: `t${i}` }),
    },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const total = coldTenants + 3;
  const kube = await KubernetesApiDouble.start({
    tokens: [{ name: 'health-reader', token: READ_TOKEN, rules: [{ verbs: ['list'], apiGroups: ['*'], resources: ['*'] }] }],
    objects: Array.from({ length: total }, (_, i) => healthyTenantObjects(tenant(i))).flat() as any,
  });
  const clearml = await ClearmlServerDouble.start();
  const backend = await startTestBackend({
    features: [
      clearmlPlugin,
      mockServices.rootConfig.factory({
        data: {
          clearml: {
            clusters: [{ name: 'bench', url: kube.url, serviceAccountToken: READ_TOKEN, skipTLSVerify: true }],
            health: { cacheSeconds: 600, probeEndpoints: true },
          },
        },
      }),
      catalogServiceMock.factory({ entities: Array.from({ length: total }, (_, i) => entity(i)) }),
      createServiceFactory({ service: clearmlProbeFetchServiceRef, deps: {}, factory: () => clearml.fetchVia() }),
    ],
  });
  const base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/clearml/v1/health`;
  const headers = { authorization: mockCredentials.user.header('user:default/bench') };
  const timed = async (i: number) => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}?entityRef=resource:default/t${i}`, { headers });
    await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for t${i}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };

  // Warm up the process (JIT, first connections) on a tenant not used below.
  await timed(total - 1);

  kube.clearRequests();
  await timed(total - 2);
  const callsPerCheck = kube.requests.length;

  const cold: number[] = [];
  for (let i = 0; i < coldTenants; i++) cold.push(await timed(i));

  const warm: number[] = [];
  for (let i = 0; i < warmRequests; i++) warm.push(await timed(i % coldTenants));

  kube.clearRequests();
  const probesBefore = clearml.requests.length;
  const started = Date.now();
  await Promise.all(Array.from({ length: viewers }, () => timed(total - 3)));
  const concurrentMs = Date.now() - started;
  const concurrentCalls = kube.requests.length;
  const concurrentProbes = clearml.requests.length - probesBefore;

  await backend.stop();
  await kube.close();
  await clearml.close();

  const f = (n: number) => n.toFixed(1);
  console.log(`Health API benchmark (${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; API double on loopback, no network latency)\n`);
  console.log('| measure | result |');
  console.log('|---|---|');
  console.log(`| Kubernetes API calls per check (one namespace) | ${callsPerCheck} |`);
  console.log(`| cold request (no cached report), ${coldTenants} tenants | p50 ${f(percentile(cold, 50))} ms, p95 ${f(percentile(cold, 95))} ms |`);
  console.log(`| warm request (cached report), ${warmRequests} requests | p50 ${f(percentile(warm, 50))} ms, p95 ${f(percentile(warm, 95))} ms |`);
  console.log(`| ${viewers} concurrent viewers of one uncached tenant | ${concurrentCalls} Kubernetes calls, ${concurrentProbes} endpoint probes, ${concurrentMs} ms for all |`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
