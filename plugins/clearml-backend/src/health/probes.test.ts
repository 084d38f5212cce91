import {
  ClearmlServerDouble,
  closedPortUrl,
} from '@internal/clearml-test-utils';
import { ProbeSpec } from '../target/components';
import { probeEndpoint } from './probes';

const PING: ProbeSpec = {
  path: '/debug.ping',
  accept: [200],
  clearmlPing: true,
};
const FILES: ProbeSpec = { path: '/', accept: [200, 405] };

describe('probeEndpoint', () => {
  let legacy: ClearmlServerDouble;

  beforeAll(async () => {
    legacy = await ClearmlServerDouble.start({ legacyFileserver: true });
  });
  afterAll(() => legacy.close());

  it("accepts ClearML's ping and an older fileserver's 405 as alive", async () => {
    const fetchVia = legacy.fetchVia();
    await expect(
      probeEndpoint(
        fetchVia,
        'https://acme-api.example.com/debug.ping',
        PING,
        1000,
      ),
    ).resolves.toMatchObject({ ok: true, httpStatus: 200 });
    await expect(
      probeEndpoint(fetchVia, 'https://acme-files.example.com/', FILES, 1000),
    ).resolves.toMatchObject({ ok: true, httpStatus: 405 });
    expect(legacy.requests.map(r => `${r.host}${r.path}`)).toEqual([
      'acme-api.example.com/debug.ping',
      'acme-files.example.com/',
    ]);
  });

  it('does not take any 200 for an apiserver: the body must be a ClearML ping', async () => {
    // The webserver answers 200 with HTML: a Route sending api traffic there is not a live apiserver.
    const result = await probeEndpoint(
      legacy.fetchVia(),
      'https://acme-app.example.com/',
      PING,
      1000,
    );
    expect(result).toMatchObject({
      ok: false,
      httpStatus: 200,
      error: 'answered, but not with a ClearML ping',
    });
  });

  it('reports a refused connection without waiting for the timeout', async () => {
    const dead = await closedPortUrl();
    const result = await probeEndpoint(
      (url, init) =>
        fetch(url.replace('https://acme-api.example.com', dead), init),
      'https://acme-api.example.com/debug.ping',
      PING,
      5000,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toBe('ECONNREFUSED');
    expect(result.latencyMs).toBeLessThan(5000);
  });
});
