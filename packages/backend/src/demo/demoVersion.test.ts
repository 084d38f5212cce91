/**
 * `clearml.demo.kubernetesVersion`: the demo cluster answers `GET /version`
 * as the OpenShift release it plays, and lists the StorageClasses the form
 * offers. On a free port (the local instance's fixed one is for
 * demoCluster.test.ts under the ports lock).
 */
import {
  createKubernetesClients,
  listStorageClasses,
  readKubernetesVersion,
} from '@clearml-openshift/plugin-clearml-node';
import {
  demoKubernetesVersion,
  DEMO_KUBERNETES_VERSIONS,
  startDemoCluster,
} from '.';

describe('the demo cluster plays OpenShift 4.18, 4.19 and 4.20', () => {
  it.each(
    Object.entries(DEMO_KUBERNETES_VERSIONS).map(
      ([minor, v]) => [minor, v.openshift, v.gitVersion] as const,
    ),
  )(
    'Kubernetes %s answers GET /version as OpenShift %s does (%s), and has gp3-csi as its default StorageClass',
    async (minor, _openshift, gitVersion) => {
      const cluster = await startDemoCluster({
        port: 0,
        readToken: 'read',
        kubernetesVersion: demoKubernetesVersion(minor),
      });
      try {
        const clients = createKubernetesClients(
          {
            name: 'demo',
            url: cluster.url,
            serviceAccountToken: 'read',
            skipTLSVerify: true,
            source: 'test',
          } as any,
          'read',
        );
        expect(await readKubernetesVersion(clients)).toBe(gitVersion);
        expect(
          (await listStorageClasses(clients)).map(c => [c.name, c.default]),
        ).toEqual([
          ['gp2-csi', false],
          ['gp3-csi', true],
        ]);
      } finally {
        await cluster.close();
      }
    },
  );

  it('defaults to 1.33 (OpenShift 4.20) and refuses another version, naming the key', () => {
    expect(demoKubernetesVersion(undefined)).toBe('1.33');
    expect(DEMO_KUBERNETES_VERSIONS['1.33'].openshift).toBe('4.20');
    expect(() => demoKubernetesVersion('1.34')).toThrow(
      "Invalid config at clearml.demo.kubernetesVersion: '1.34' is not one of 1.31, 1.32, 1.33",
    );
  });
});
