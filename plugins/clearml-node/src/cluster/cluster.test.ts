import { ConfigReader } from '@backstage/config';
import {
  closedPortUrl,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
  KUBERNETES_ALL_RULES,
  startSilentServer,
} from '@internal/clearml-test-utils';
import {
  buildKubeConfig,
  ClearmlCluster,
  createKubernetesClients,
  describeKubernetesError,
  findClearmlCluster,
  readClearmlClusters,
} from '.';

const READ_TOKEN = 'read-token-6f1e2d';
const GRANT_TOKEN = 'grant-token-9a8b7c';

function cluster(
  url: string,
  extra: Partial<ClearmlCluster> = {},
): ClearmlCluster {
  return {
    name: 'ocp-test',
    url,
    serviceAccountToken: READ_TOKEN,
    grantToken: GRANT_TOKEN,
    skipTLSVerify: url.startsWith('http:'),
    source: 'clearml.clusters',
    ...extra,
  };
}

/** Runs a call that must fail, and describes the failure as users will read it. */
async function failureOf(
  c: ClearmlCluster,
  call: Promise<unknown>,
  timeoutMs?: number,
) {
  const started = Date.now();
  try {
    await call;
  } catch (error) {
    return {
      ...describeKubernetesError(error, c, { timeoutMs }),
      elapsedMs: Date.now() - started,
    };
  }
  throw new Error('expected the call to fail');
}

describe('cluster config', () => {
  it('reads clearml.clusters with both credentials apart', () => {
    const clusters = readClearmlClusters(
      new ConfigReader({
        clearml: {
          clusters: [
            {
              name: 'ocp-prod',
              url: 'https://api.ocp-prod.example.com:6443/',
              serviceAccountToken: READ_TOKEN,
              grantToken: GRANT_TOKEN,
              caData: 'Q0E=',
              appsDomain: 'apps.ocp-prod.example.com',
              requestTimeoutSeconds: 5,
            },
          ],
        },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [{ name: 'ignored', url: 'https://x' }],
            },
          ],
        },
      }),
    );
    expect(clusters).toEqual([
      {
        name: 'ocp-prod',
        url: 'https://api.ocp-prod.example.com:6443',
        serviceAccountToken: READ_TOKEN,
        grantToken: GRANT_TOKEN,
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
        appsDomain: 'apps.ocp-prod.example.com',
        requestTimeoutMs: 5000,
        source: 'clearml.clusters',
      },
    ]);
  });

  it('falls back to the kubernetes plugin clusters of type config', () => {
    const clusters = readClearmlClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'catalog' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'ocp-a',
                  url: 'https://api.a:6443',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: READ_TOKEN,
                },
                {
                  name: 'ocp-b',
                  url: 'https://api.b:6443',
                  authProvider: 'serviceAccount',
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
      }),
    );
    expect(
      clusters.map(c => [
        c.name,
        c.serviceAccountToken,
        c.grantToken,
        c.source,
      ]),
    ).toEqual([
      ['ocp-a', READ_TOKEN, undefined, 'kubernetes.clusterLocatorMethods'],
      ['ocp-b', undefined, undefined, 'kubernetes.clusterLocatorMethods'],
    ]);
    expect(findClearmlCluster(clusters, 'ocp-b')?.skipTLSVerify).toBe(true);
    expect(findClearmlCluster(clusters, 'ocp-c')).toBeUndefined();
    expect(readClearmlClusters(new ConfigReader({}))).toEqual([]);
  });

  it('refuses a plain-http URL without skipTLSVerify, naming the key', () => {
    expect(() =>
      readClearmlClusters(
        new ConfigReader({
          clearml: { clusters: [{ name: 'x', url: 'http://10.0.0.1:6443' }] },
        }),
      ),
    ).toThrow(
      "Invalid cluster config at clearml.clusters[0].url: 'http://10.0.0.1:6443' is plain http",
    );
  });

  it('builds a KubeConfig per credential, with CA and TLS settings', () => {
    const c = cluster('https://api.ocp.example.com:6443', {
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    const read = buildKubeConfig(c, 'read');
    expect(read.getCurrentCluster()).toMatchObject({
      server: c.url,
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(read.getCurrentUser()?.token).toBe(READ_TOKEN);
    expect(buildKubeConfig(c, 'grant').getCurrentUser()?.token).toBe(
      GRANT_TOKEN,
    );

    const noGrant = cluster('https://api.ocp.example.com:6443', {
      grantToken: undefined,
    });
    expect(() => buildKubeConfig(noGrant, 'grant')).toThrow(
      "Cluster 'ocp-test' has no grantToken in clearml.clusters",
    );
    expect(() =>
      buildKubeConfig(
        cluster('https://x:6443', { caFile: '/nonexistent/ca.crt' }),
        'read',
      ),
    ).toThrow("caFile '/nonexistent/ca.crt' cannot be read");
  });
});

describe('cluster access over HTTP', () => {
  let double: KubernetesApiDouble;

  beforeAll(async () => {
    double = await KubernetesApiDouble.start({
      tls: true,
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          user: 'system:serviceaccount:backstage:clearml-reader',
          rules: KUBERNETES_READ_ONLY_RULES,
        },
        { name: 'granter', token: GRANT_TOKEN, rules: KUBERNETES_ALL_RULES },
      ],
      objects:
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-acme }\n',
    });
  });
  afterAll(() => double.close());
  beforeEach(() => double.clearRequests());

  it('verifies the server with caData or caFile and sends the chosen credential', async () => {
    const withCaData = createKubernetesClients(
      cluster(double.url, { caData: KubernetesApiDouble.caData }),
      'read',
    );
    expect(
      (await withCaData.core.listNamespace()).items.map(n => n.metadata?.name),
    ).toEqual(['clearml-acme']);
    const withCaFile = createKubernetesClients(
      cluster(double.url, { caFile: KubernetesApiDouble.caFile }),
      'grant',
    );
    await withCaFile.core.readNamespace({ name: 'clearml-acme' });
    expect(double.requests.map(r => r.token)).toEqual(['reader', 'granter']);
  });

  it('names a TLS failure and what fixes it', async () => {
    const c = cluster(double.url);
    const failure = await failureOf(
      c,
      createKubernetesClients(c, 'read').core.listNamespace(),
    );
    expect(failure.kind).toBe('tls');
    expect(failure.message).toMatch(
      /^cluster 'ocp-test': TLS verification failed \(.+\); set caData or caFile/,
    );
  });

  it("passes the API server's refusal on, without the token", async () => {
    const c = cluster(double.url, { caData: KubernetesApiDouble.caData });
    const failure = await failureOf(
      c,
      createKubernetesClients(c, 'read').core.createNamespace({
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(failure).toMatchObject({
      kind: 'status',
      httpStatus: 403,
      reason: 'Forbidden',
    });
    expect(failure.message).toContain(
      'answered 403 Forbidden: namespaces is forbidden: User "system:serviceaccount:backstage:clearml-reader" cannot create resource "namespaces"',
    );
    const badToken = cluster(double.url, {
      caData: KubernetesApiDouble.caData,
      serviceAccountToken: 'expired-token',
    });
    const unauthorized = await failureOf(
      badToken,
      createKubernetesClients(badToken, 'read').core.listNamespace(),
    );
    expect(unauthorized.message).toMatch(
      /rejected the credential \(401 Unauthorized\)/,
    );
    expect(JSON.stringify([failure, unauthorized])).not.toMatch(
      /read-token|grant-token|expired-token|127\.0\.0\.1/,
    );
  });
});

describe('a dead cluster fails in seconds', () => {
  it('a closed port: connection refused', async () => {
    const c = cluster(await closedPortUrl());
    const failure = await failureOf(
      c,
      createKubernetesClients(c, 'read').core.listNamespace(),
    );
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toMatch(
      /^cluster 'ocp-test' cannot be reached \(ECONNREFUSED\)/,
    );
    expect(failure.elapsedMs).toBeLessThan(30_000);
  });

  it('a server that accepts and never answers: the request timeout', async () => {
    const silent = await startSilentServer();
    try {
      const c = cluster(silent.url, { requestTimeoutMs: 700 });
      const clients = createKubernetesClients(c, 'read');
      expect(clients.timeoutMs).toBe(700);
      const failure = await failureOf(
        c,
        clients.core.listNamespace(),
        clients.timeoutMs,
      );
      expect(failure.kind).toBe('timeout');
      expect(failure.message).toMatch(/did not answer within 0\.7s/);
      expect(failure.elapsedMs).toBeGreaterThanOrEqual(650);
      expect(failure.elapsedMs).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });
});
