/**
 * The card's isolation, read through the shared view from the demo cluster's
 * objects: acme (merged pull request: its NetworkPolicies, quota and own
 * credentials) and vision (installed before the template: none of them, the
 * chart's default credentials). The read token has exactly the documented
 * ClusterRole; a token without the isolation kinds still gets the workloads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  FleetResponse,
  TenantHealth,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import {
  KubernetesApiDouble,
  KubernetesPolicyRule,
} from '@internal/clearml-test-utils';
import clearmlPlugin from './index';
import { anchored, ANCHOR_REPOSITORIES } from './__testUtils__/anchor';
import { documentedReaderRules } from './__testUtils__/readerRules';

jest.setTimeout(60_000);

const READ_TOKEN = 'isolation-read-token';
const DEMO_DIR = path.resolve(
  __dirname,
  '../../../packages/backend/src/demo/cluster',
);

function entity(name: string, cluster: string, namespace = 'default'): Entity {
  return anchored({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace,
      annotations: tenantEntityAnnotations({
        cluster,
        namespace: `clearml-${name}`,
        release: 'clearml',
        edition: 'oss',
        tenant: name,
      }),
    },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  });
}

describe('tenant isolation on the card and the fleet page', () => {
  let kube: KubernetesApiDouble;
  let older: KubernetesApiDouble;
  let baseUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const start = async (rules: KubernetesPolicyRule[]) => {
      const double = await KubernetesApiDouble.start({
        tokens: [{ name: 'health-reader', token: READ_TOKEN, rules }],
      });
      for (const file of ['tenant-acme.yaml', 'tenant-vision.yaml'])
        double.loadFile(path.join(DEMO_DIR, file));
      return double;
    };
    kube = await start(documentedReaderRules());
    // The reader of before this change (no networkpolicies, no resourcequotas), on a cluster with tenant legacy.
    older = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'health-reader',
          token: READ_TOKEN,
          rules: documentedReaderRules().filter(
            r =>
              !r.resources.includes('networkpolicies') &&
              !r.resources.includes('resourcequotas'),
          ),
        },
      ],
    });
    const legacyFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-isolation-')),
      'tenant-legacy.yaml',
    );
    fs.writeFileSync(
      legacyFile,
      fs
        .readFileSync(path.join(DEMO_DIR, 'tenant-acme.yaml'), 'utf8')
        .replace(/clearml-acme/g, 'clearml-legacy')
        .replace(/clear\.ml\/tenant: acme/g, 'clear.ml/tenant: legacy'),
    );
    older.loadFile(legacyFile);
    const cluster = (name: string, url: string) => ({
      name,
      url,
      serviceAccountToken: READ_TOKEN,
      skipTLSVerify: true,
    });
    const backend = await startTestBackend({
      features: [
        clearmlPlugin,
        mockServices.rootConfig.factory({
          data: {
            clearml: {
              gitops: { repositories: ANCHOR_REPOSITORIES },
              clusters: [
                cluster('demo', kube.url),
                cluster('older', older.url),
              ],
              health: {
                cacheSeconds: 0,
                probeEndpoints: false,
                sharedView: true,
                watchSeconds: 5,
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            entity('acme', 'demo'),
            entity('vision', 'demo'),
            entity('legacy', 'older'),
          ],
        }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await kube?.close();
    await older?.close();
  });

  async function get<T>(pathAndQuery: string): Promise<T> {
    const res = await fetch(`${baseUrl}/api/clearml${pathAndQuery}`, {
      headers: {
        authorization: mockCredentials.user.header('user:default/alice'),
      },
    });
    const body = await res.json();
    expect([res.status, body.error?.message]).toEqual([200, undefined]);
    return body as T;
  }
  const health = (name: string) =>
    get<TenantHealth>(`/v1/health?entityRef=resource:default/${name}`);

  it("shows acme's policies as rendered, its quota use and its own credentials", async () => {
    const { isolation } = await health('acme');
    expect(isolation).toEqual({
      networkPolicies: {
        expected: [
          'clearml-default-deny-ingress',
          'clearml-apiserver-ingress',
          'clearml-fileserver-ingress',
          'clearml-webserver-ingress',
          'clearml-mongodb-ingress',
          'clearml-redis-ingress',
          'clearml-elasticsearch-ingress',
        ],
        matching: expect.any(Array),
        missing: [],
        changed: [],
      },
      quota: {
        name: 'clearml-tenant-quota',
        resources: [
          { key: 'requests.cpu', label: 'CPU', used: '1300m', hard: '3800m' },
          {
            key: 'requests.memory',
            label: 'Memory',
            used: '3968Mi',
            hard: expect.any(String),
          },
          { key: 'pods', label: 'Pods', used: '7', hard: '10' },
          {
            key: 'requests.storage',
            label: 'Storage',
            used: '62Gi',
            hard: '62Gi',
          },
        ],
      },
      credentials: 'tenant',
      credentialsSecret: 'clearml-credentials',
      problems: [],
    });
    expect(isolation!.networkPolicies.matching).toHaveLength(7);
  });

  it('flags vision: no policies, no quota, the chart default credentials, each with its fix', async () => {
    const { isolation } = await health('vision');
    expect(isolation!.networkPolicies.missing).toHaveLength(7);
    expect(isolation!.problems.map(p => p.reason)).toEqual([
      'NotIsolated',
      'NoResourceQuota',
      'DefaultCredentials',
    ]);
    expect(isolation!.problems[0].hint).toMatch(
      /Merge the tenant's GitOps pull request .* or re-run the New ClearML tenant template/,
    );
    expect(isolation!.credentialsSecret).toBe('clearml-conf');
  });

  it('sees a changed policy through its watch', async () => {
    const policy = kube.get(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      'clearml-mongodb-ingress',
      'clearml-acme',
    )!;
    const before = JSON.parse(JSON.stringify(policy));
    policy.spec.ingress[0].from = [{ podSelector: {} }];
    kube.load([policy]);
    const deadline = Date.now() + 10_000;
    let changed: string[] = [];
    while (Date.now() < deadline) {
      changed = (await health('acme')).isolation!.networkPolicies.changed;
      if (changed.length) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(changed).toEqual(['clearml-mongodb-ingress']);
    kube.load([before]);
  });

  it('lists each tenant with its isolation on the fleet page', async () => {
    const { items } = await get<FleetResponse>('/v1/tenants');
    const byName = Object.fromEntries(
      items.map(i => [i.entityRef, i.isolation]),
    );
    expect(byName['resource:default/vision']).toEqual({
      state: 'none',
      summary:
        "no NetworkPolicies; no ResourceQuota; chart's public default credentials",
    });
    expect(byName['resource:default/acme']?.state).toMatch(/isolated|partial/);
  });

  it('with a read token that may not list NetworkPolicies, the workloads are still read and the card says what to grant', async () => {
    const report = await get<TenantHealth>(
      '/v1/health?entityRef=resource:default/legacy',
    );
    expect(report.status).toBe('healthy');
    expect(report.isolation?.unavailable).toMatch(
      /may not list (networkpolicies|resourcequotas) cluster-wide \(grant list\/watch of networkpolicies and resourcequotas/,
    );
  });
});
