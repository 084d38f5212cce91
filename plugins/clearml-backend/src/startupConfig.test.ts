import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import clearmlPlugin from './index';

function start(clearml: object) {
  return startTestBackend({
    features: [
      clearmlPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: { clearml } }),
    ],
  });
}

describe('the clearml backend refuses to start on a clearml key of the wrong type, naming the key', () => {
  it.each([
    [{ health: { cacheSeconds: 'fifteen' } }, 'clearml.health.cacheSeconds'],
    [{ health: { sharedView: 'sometimes' } }, 'clearml.health.sharedView'],
    [{ tenants: { namespacePattern: 3 } }, 'clearml.tenants.namespacePattern'],
    [
      { charts: { clearml: { version: [] } } },
      'clearml.charts.clearml.version',
    ],
    [{ clusters: [{ name: 'a', url: 7 }] }, 'clearml.clusters[0].url'],
  ])('%j', async (clearml, key) => {
    await expect(start(clearml)).rejects.toThrow(
      new RegExp(
        `clearml: invalid configuration, not starting: .*${key.replace(/[.[\]]/g, '\\$&')}`,
      ),
    );
  });

  it('starts with the same keys well typed', async () => {
    const backend = await start({
      health: { cacheSeconds: 15, sharedView: false },
      tenants: { namespacePattern: 'clearml-*' },
    });
    expect(backend).toBeDefined();
    await backend.stop();
  });
});
