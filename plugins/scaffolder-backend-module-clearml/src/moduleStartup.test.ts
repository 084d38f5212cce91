import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { releaseDatabasesOnStop } from '@internal/clearml-test-utils';
import scaffolderModuleClearml from './index';

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('scaffolder module startup', () => {
  it('warns once about a Kubernetes plugin cluster without a service account, before any grant runs', async () => {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleClearml,
        ...releaseDatabasesOnStop('scaffolder'),
        logger.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'eks-lab',
                      url: 'https://lab.eks.example.com',
                      authProvider: 'aws',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      const warnings = logger.warn.mock.calls
        .map(([message]) => message)
        .filter(m => m.startsWith('ClearML cluster'));
      expect(warnings).toEqual([
        "ClearML cluster 'eks-lab' (kubernetes.clusterLocatorMethods[0].clusters[0]) has authProvider 'aws': " +
          "the ClearML plugins have no token for it, so its tenants' health is unknown and clearml:scc:grant cannot use it. " +
          'Set authProvider: serviceAccount and a read-only serviceAccountToken on that entry, ' +
          'or list the cluster under clearml.clusters with serviceAccountToken (and grantToken for clearml:scc:grant).',
      ]);
    } finally {
      await backend.stop();
    }
  });
});
