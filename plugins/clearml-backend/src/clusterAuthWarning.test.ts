import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import clearmlPlugin from './index';

// The clusters come from the Kubernetes plugin's config (no clearml.clusters): one the ClearML backend can read,
// one signed in per user through OIDC, which it cannot.
const KUBERNETES = {
  kubernetes: {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'ocp-prod',
            url: 'https://api.ocp-prod.example.com:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'r',
          },
          {
            name: 'ocp-sso',
            url: 'https://api.ocp-sso.example.com:6443',
            authProvider: 'oidc',
            oidcTokenProvider: 'okta',
          },
        ],
      },
    ],
  },
};

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('clearml backend startup', () => {
  it('logs a warning naming a Kubernetes plugin cluster it cannot use and what to set', async () => {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        clearmlPlugin,
        logger.factory,
        mockServices.rootConfig.factory({ data: KUBERNETES }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    try {
      const warnings = logger.warn.mock.calls.map(([message]) => message);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^ClearML cluster 'ocp-sso' \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[1\]\) has authProvider 'oidc': .*Set authProvider: serviceAccount and a read-only serviceAccountToken on that entry, or list the cluster under clearml\.clusters/,
        ),
      ]);
    } finally {
      await backend.stop();
    }
  });
});
