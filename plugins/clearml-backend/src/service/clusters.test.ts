import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import clearmlPlugin from '../index';

const READ_TOKEN = 'read-token-5d1e';
const GRANT_TOKEN = 'grant-token-77ab';

async function startWith(config: JsonObject) {
  const backend = await startTestBackend({
    features: [clearmlPlugin, mockServices.rootConfig.factory({ data: config }), catalogServiceMock.factory({ entities: [] })],
  });
  const baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/clearml`;
  return { backend, baseUrl };
}

describe('GET /api/clearml/v1/clusters', () => {
  it('lists every configured cluster with its apps domain and whether grants can be applied, and no credentials', async () => {
    const { backend, baseUrl } = await startWith({
      clearml: {
        clusters: [
          {
            name: 'ocp-prod',
            url: 'https://api.ocp-prod.example.com:6443',
            serviceAccountToken: READ_TOKEN,
            grantToken: GRANT_TOKEN,
            caData: 'LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t',
            appsDomain: 'apps.ocp-prod.example.com',
          },
          { name: 'ocp-lab', url: 'https://api.ocp-lab.example.com:6443', serviceAccountToken: READ_TOKEN },
        ],
      },
    });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, { headers: { Authorization: mockCredentials.user.header() } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual([
        { name: 'ocp-prod', appsDomain: 'apps.ocp-prod.example.com', canGrant: true },
        { name: 'ocp-lab', canGrant: false },
      ]);
      for (const secret of [READ_TOKEN, GRANT_TOKEN, 'LS0tLS1', 'https://', '6443']) expect(text).not.toContain(secret);
    } finally {
      await backend.stop();
    }
  });

  it('reads the kubernetes plugin clusters when clearml.clusters is absent (never grantable)', async () => {
    const { backend, baseUrl } = await startWith({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [{ name: 'shared', url: 'https://api.shared.example.com:6443', serviceAccountToken: READ_TOKEN }] },
        ],
      },
    });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, { headers: { Authorization: mockCredentials.service.header() } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([{ name: 'shared', canGrant: false }]);
    } finally {
      await backend.stop();
    }
  });

  it('answers 401 without credentials', async () => {
    const { backend, baseUrl } = await startWith({ clearml: { clusters: [] } });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, { headers: { Authorization: mockCredentials.none.header() } });
      expect(response.status).toBe(401);
      expect((await response.json()).error.name).toBe('AuthenticationError');
    } finally {
      await backend.stop();
    }
  });
});
