import {
  HelmRepositoryDouble,
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

  it('says why an archive is unavailable: an unknown version, a repository that is not one, a tampered archive, OCI', async () => {
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
    const requests = repo.requests.length;
    await expect(
      client.chartArchive({
        chart: 'clearml-enterprise',
        version: '7.12.0',
        repository: 'oci://registry.example.com/clearml',
      }),
    ).rejects.toThrow(/is an OCI registry/);
    expect(repo.requests.length).toBe(requests);
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
