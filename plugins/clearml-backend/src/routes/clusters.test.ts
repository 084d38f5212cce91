import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import {
  closedPortUrl,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import clearmlPlugin from '../index';

const READ_TOKEN = 'read-token-5d1e';
const GRANT_TOKEN = 'grant-token-77ab';

async function startWith(config: JsonObject) {
  const backend = await startTestBackend({
    features: [
      clearmlPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/clearml`;
  return { backend, baseUrl };
}

const ACCEPTED = {
  charts: [
    {
      chart: 'clearml',
      version: '7.14.4',
      kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
      accepts: true,
    },
    {
      chart: 'clearml-agent',
      version: '5.3.2',
      kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
      accepts: true,
    },
  ],
};

/** As an OpenShift cluster on AWS has them: the installer's default gp3-csi, and gp2-csi. */
const STORAGE_CLASSES = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3-csi
  annotations:
    storageclass.kubernetes.io/is-default-class: 'true'
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp2-csi
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
`;
const LISTED_CLASSES = {
  storageClasses: [
    {
      name: 'gp2-csi',
      provisioner: 'ebs.csi.aws.com',
      default: false,
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      name: 'gp3-csi',
      provisioner: 'ebs.csi.aws.com',
      default: true,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  ],
};

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('GET /api/clearml/v1/clusters', () => {
  const doubles: KubernetesApiDouble[] = [];
  async function cluster(
    kubernetesVersion: string,
    unservedApiVersions?: string[],
  ) {
    const double = await KubernetesApiDouble.start({
      kubernetesVersion,
      unservedApiVersions,
      objects: STORAGE_CLASSES,
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    doubles.push(double);
    return double.url;
  }
  afterEach(async () => {
    await Promise.all(doubles.splice(0).map(d => d.close()));
  });

  it('lists every configured cluster with its apps domain, whether grants can be applied and its Kubernetes version, and no credentials', async () => {
    const prod = await cluster('1.32.5');
    const { backend, baseUrl } = await startWith({
      clearml: {
        clusters: [
          {
            name: 'ocp-prod',
            url: prod,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
            grantToken: GRANT_TOKEN,
            caData: 'LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t',
            appsDomain: 'apps.ocp-prod.example.com',
          },
          {
            name: 'ocp-lab',
            url: await closedPortUrl(),
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
            requestTimeoutSeconds: 2,
          },
        ],
      },
    });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual([
        {
          name: 'ocp-prod',
          appsDomain: 'apps.ocp-prod.example.com',
          canGrant: true,
          kubernetesVersion: '1.32.5',
          ...ACCEPTED,
          ...LISTED_CLASSES,
        },
        {
          name: 'ocp-lab',
          canGrant: false,
          kubernetesVersionError: expect.stringContaining("cluster 'ocp-lab'"),
          storageClassesError: expect.stringContaining("cluster 'ocp-lab'"),
        },
      ]);
      for (const secret of [
        READ_TOKEN,
        GRANT_TOKEN,
        'LS0tLS1',
        'http://',
        '127.0.0.1',
      ])
        expect(text).not.toContain(secret);
    } finally {
      await backend.stop();
    }
  });

  it('reads the kubernetes plugin clusters when clearml.clusters is absent (never grantable)', async () => {
    const { backend, baseUrl } = await startWith({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'shared',
                url: await cluster('1.31.4'),
                skipTLSVerify: true,
                serviceAccountToken: READ_TOKEN,
              },
            ],
          },
        ],
      },
    });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.service.header() },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([
        {
          name: 'shared',
          canGrant: false,
          kubernetesVersion: '1.31.4',
          ...ACCEPTED,
          ...LISTED_CLASSES,
        },
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('on Kubernetes 1.33 the charts refuse the version, yet render for 1.32.0 when the cluster serves their APIs; a configured override wins', async () => {
    const lacking = await startWith({
      clearml: {
        clusters: [
          {
            name: 'ocp-old-apis',
            url: await cluster('1.33.1', ['policy/v1']),
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
          },
        ],
      },
    });
    try {
      const response = await fetch(`${lacking.baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      const [summary] = await response.json();
      expect(summary.kubeVersionOverride).toBeUndefined();
    } finally {
      await lacking.backend.stop();
    }
    const url = await cluster('1.33.1');
    const entry = {
      name: 'ocp-next',
      url,
      skipTLSVerify: true,
      serviceAccountToken: READ_TOKEN,
    };
    const refused = await startWith({ clearml: { clusters: [entry] } });
    try {
      const response = await fetch(`${refused.baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      const [summary] = await response.json();
      expect(summary.kubernetesVersion).toBe('1.33.1');
      expect(summary.charts.map((c: any) => [c.chart, c.accepts])).toEqual([
        ['clearml', false],
        ['clearml-agent', false],
      ]);
      expect(summary.kubeVersionOverride).toBe('1.32.0');
    } finally {
      await refused.backend.stop();
    }
    const overridden = await startWith({
      clearml: {
        clusters: [entry],
        charts: { kubeVersionOverride: '1.31.0' },
        images: { registry: 'mirror.example.com', pullSecret: 'clearml-pull' },
      },
    });
    try {
      const response = await fetch(`${overridden.baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      const [summary] = await response.json();
      expect(summary.kubeVersionOverride).toBe('1.31.0');
      // The platform's image settings, for the form's review.
      expect(summary.images).toEqual({
        registry: 'mirror.example.com',
        pullSecret: 'clearml-pull',
      });
    } finally {
      await overridden.backend.stop();
    }
  });

  it('answers 401 without credentials', async () => {
    const { backend, baseUrl } = await startWith({ clearml: { clusters: [] } });
    try {
      const response = await fetch(`${baseUrl}/v1/clusters`, {
        headers: { Authorization: mockCredentials.none.header() },
      });
      expect(response.status).toBe(401);
      expect((await response.json()).error.name).toBe('AuthenticationError');
    } finally {
      await backend.stop();
    }
  });
});
