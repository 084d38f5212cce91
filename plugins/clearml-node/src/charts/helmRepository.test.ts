import {
  HelmRepositoryDouble,
  OciRegistryDouble,
  referencePath,
} from '@internal/clearml-test-utils';
import {
  ChartArchiveUnavailableError,
  helmRepositoryClient,
} from './helmRepository';

const PACKAGED = [
  'clearml-7.14.1.tgz',
  'clearml-7.14.4.tgz',
  'clearml-agent-5.3.0.tgz',
  'clearml-agent-5.3.2.tgz',
].map(f => referencePath('clearml-charts', 'packaged', f));

describe('packaged charts from a Helm repository over HTTP', () => {
  let repo: HelmRepositoryDouble;
  let absolute: HelmRepositoryDouble;
  beforeAll(async () => {
    repo = await HelmRepositoryDouble.start({
      charts: PACKAGED,
      pathPrefix: '/clearml-helm-charts',
    });
    absolute = await HelmRepositoryDouble.start({
      charts: PACKAGED.slice(0, 1),
      absoluteUrls: true,
    });
  });
  afterAll(async () => {
    await repo?.close();
    await absolute?.close();
  });
  const client = helmRepositoryClient();

  it('reads index.yaml, then the archive its entry names (relative URL resolved against the repository), checked by digest', async () => {
    const before = repo.requests.length;
    const chart = await client.chartArchive({
      chart: 'clearml',
      version: '7.14.1',
      repository: `${repo.url}/`,
    });
    expect(chart.chart).toMatchObject({ name: 'clearml', version: '7.14.1' });
    expect(chart.values).toHaveProperty('apiserver.image.tag');
    expect(repo.requests.slice(before)).toEqual([
      '/clearml-helm-charts/index.yaml',
      '/clearml-helm-charts/clearml-7.14.1.tgz',
    ]);
    const agent = await client.chartArchive({
      chart: 'clearml-agent',
      version: '5.3.2',
      repository: repo.url,
    });
    expect(agent.chart).toMatchObject({
      name: 'clearml-agent',
      version: '5.3.2',
    });
    const fromAbsolute = await client.chartArchive({
      chart: 'clearml',
      version: '7.14.1',
      repository: absolute.url,
    });
    expect(fromAbsolute.chart.version).toBe('7.14.1');
  });

  it('says why an archive is unavailable: an unknown version, a repository that is not one, a tampered archive', async () => {
    await expect(
      client.chartArchive({
        chart: 'clearml',
        version: '9.9.9',
        repository: repo.url,
      }),
    ).rejects.toThrow(
      `${repo.url}/index.yaml has no chart clearml version 9.9.9`,
    );
    await expect(
      client.chartArchive({
        chart: 'clearml',
        version: '7.14.4',
        repository: `${repo.url}/elsewhere`,
      }),
    ).rejects.toThrow(`GET ${repo.url}/elsewhere/index.yaml answered 404`);
    repo.tampered.set('clearml-7.14.4.tgz', Buffer.from('tampered'));
    try {
      const error = await client
        .chartArchive({
          chart: 'clearml',
          version: '7.14.4',
          repository: repo.url,
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(ChartArchiveUnavailableError);
      expect(error.message).toMatch(
        /clearml-7\.14\.4\.tgz: sha256 [0-9a-f]{64} is not the digest [0-9a-f]{64} of /,
      );
    } finally {
      repo.tampered.clear();
    }
  });

  it('uses the fetch it is given (the factory), and refuses a repository that does not answer', async () => {
    const seen: string[] = [];
    const counting = helmRepositoryClient({
      fetch: (url, init) => {
        seen.push(url);
        return fetch(url, init);
      },
    });
    await counting.chartArchive({
      chart: 'clearml-agent',
      version: '5.3.0',
      repository: repo.url,
    });
    expect(seen).toEqual([
      `${repo.url}/index.yaml`,
      `${repo.url}/clearml-agent-5.3.0.tgz`,
    ]);
    await expect(
      client.chartArchive({
        chart: 'clearml',
        version: '7.14.1',
        repository: 'http://127.0.0.1:1',
      }),
    ).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:1\/index\.yaml failed/);
  });
});

describe('packaged charts from an OCI registry, as helm pull oci:// gets them', () => {
  const registries: OciRegistryDouble[] = [];
  afterEach(async () => {
    await Promise.all(registries.splice(0).map(r => r.close()));
  });
  const start = async (auth: 'none' | 'bearer' | 'basic') => {
    const registry = await OciRegistryDouble.start({
      charts: PACKAGED,
      namespace: 'charts/clearml',
      auth,
    });
    registries.push(registry);
    return registry;
  };
  const client = helmRepositoryClient({ ociPlainHttp: true });

  it('reads the manifest, then the chart layer checked by digest, with an anonymous token where the registry asks for one', async () => {
    const registry = await start('bearer');
    const chart = await client.chartArchive({
      chart: 'clearml-agent',
      version: '5.3.0',
      repository: registry.repository,
    });
    expect(chart.chart).toMatchObject({
      name: 'clearml-agent',
      version: '5.3.0',
    });
    expect(chart.values).toHaveProperty('agentk8sglue');
    expect(registry.requests).toEqual([
      '/v2/charts/clearml/clearml-agent/manifests/5.3.0',
      '/token',
      '/v2/charts/clearml/clearml-agent/manifests/5.3.0',
      expect.stringMatching(
        /^\/v2\/charts\/clearml\/clearml-agent\/blobs\/sha256:[0-9a-f]{64}$/,
      ),
    ]);
    const open = await start('none');
    expect(
      (
        await client.chartArchive({
          chart: 'clearml',
          version: '7.14.4',
          repository: open.repository,
        })
      ).chart.version,
    ).toBe('7.14.4');
  });

  it('says why not: a registry that wants credentials, an unknown version, https by default', async () => {
    const registry = await start('basic');
    await expect(
      client.chartArchive({
        chart: 'clearml',
        version: '7.14.1',
        repository: registry.repository,
      }),
    ).rejects.toThrow(
      /the registry wants credentials \(Basic realm=.*\), and none are configured/,
    );
    const open = await start('none');
    const unknown = await client
      .chartArchive({
        chart: 'clearml',
        version: '9.9.9',
        repository: open.repository,
      })
      .catch(e => e);
    expect(unknown).toBeInstanceOf(ChartArchiveUnavailableError);
    expect(unknown.message).toMatch(/manifests\/9\.9\.9 answered 404$/);
    // Without plain http the client speaks https, which the loopback registry does not: unavailable, never http.
    const requests = open.requests.length;
    await expect(
      helmRepositoryClient().chartArchive({
        chart: 'clearml',
        version: '7.14.4',
        repository: open.repository,
      }),
    ).rejects.toBeInstanceOf(ChartArchiveUnavailableError);
    expect(open.requests.length).toBe(requests);
  });
});
