/**
 * The local instance's demo: the object files are what demoTenants.ts builds
 * (so they follow the naming rules), the catalog's demo tenants are the same
 * tenants, and the demo cluster answers with its tokens as configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import * as k8s from '@kubernetes/client-node';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';
import { demoTenantFiles } from './generate';
import {
  blockedWorkload,
  DEMO_BLOCKED,
  DEMO_TENANTS,
  demoTenantEntity,
  startDemoCluster,
} from '.';

const ROOT = path.resolve(__dirname, '../../../..');

function client(double: KubernetesApiDouble, token: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'demo', server: double.url, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'demo', cluster: 'demo', user: 'u' }],
    currentContext: 'demo',
  });
  return kc;
}

describe('demo cluster of the local instance', () => {
  it('has object files equal to what generate.ts writes from demoTenants.ts', () => {
    for (const [name, content] of Object.entries(demoTenantFiles())) {
      expect(
        fs.readFileSync(path.join(__dirname, 'cluster', name), 'utf8'),
      ).toBe(content);
    }
  });

  it('registers no tenant from the root catalog-info.yaml: the demo tenants come from the local GitOps repository', () => {
    const docs = yaml.loadAll(
      fs.readFileSync(path.join(ROOT, 'catalog-info.yaml'), 'utf8'),
    ) as any[];
    expect(docs.filter(d => d.kind === 'Resource')).toEqual([]);
    // Their entities carry the annotations of the cluster objects (demo.ts commits these).
    expect(
      DEMO_TENANTS.map(
        t =>
          demoTenantEntity(t, 'group:default/platform').metadata.annotations[
            'clear.ml/namespace'
          ],
      ),
    ).toEqual(DEMO_TENANTS.map(t => t.namespace));
    // The owner group exists, so the entity pages resolve their owner.
    expect(
      docs.some(d => d.kind === 'Group' && d.metadata.name === 'platform'),
    ).toBe(true);
  });

  it('uses the cluster, tokens and port of app-config.yaml', () => {
    const config = yaml.load(
      fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
    ) as any;
    const demo = config.clearml.clusters.find(
      (c: any) => c.name === config.clearml.demo.cluster,
    );
    expect(demo).toMatchObject({
      name: 'demo',
      url: 'http://127.0.0.1:6443',
      skipTLSVerify: true,
    });
    expect(
      DEMO_TENANTS.every(t => t.domain.endsWith(`.${demo.appsDomain}`)),
    ).toBe(true);
  });

  describe('served', () => {
    let double: KubernetesApiDouble;
    beforeAll(async () => {
      double = await startDemoCluster({
        port: 0,
        readToken: 'read',
        grantToken: 'grant',
      });
    });
    afterAll(() => double.close());

    it("shows the blocked tenant's webserver ReplicaSet refused by SCC, to the read token", async () => {
      const core = client(double, 'read').makeApiClient(k8s.CoreV1Api);
      const events = await core.listNamespacedEvent({
        namespace: DEMO_BLOCKED.namespace,
      });
      const failed = events.items.filter(e => e.reason === 'FailedCreate');
      expect(failed).toHaveLength(1);
      expect(failed[0].involvedObject.kind).toBe('ReplicaSet');
      expect(failed[0].involvedObject.name).toMatch(
        new RegExp(`^${blockedWorkload().deployment}-`),
      );
      expect(failed[0].message).toContain(
        'unable to validate against any security context constraint',
      );
      const apps = client(double, 'read').makeApiClient(k8s.AppsV1Api);
      const web = await apps.readNamespacedDeployment({
        name: blockedWorkload().deployment,
        namespace: DEMO_BLOCKED.namespace,
      });
      expect(web.status?.readyReplicas).toBe(0);
    });

    it('lets the grant token bind anyuid to the forgotten account, and refuses the read token', async () => {
      const rbac = (token: string) =>
        client(double, token).makeApiClient(k8s.RbacAuthorizationV1Api);
      const name = 'system:openshift:scc:anyuid';
      const { namespace, serviceAccount } = blockedWorkload();
      const binding = await rbac('grant').readNamespacedRoleBinding({
        name,
        namespace,
      });
      expect(binding.subjects?.map(s => s.name)).not.toContain(serviceAccount);
      const patch = [
        {
          op: 'add',
          path: '/subjects/-',
          value: { kind: 'ServiceAccount', name: serviceAccount, namespace },
        },
      ];
      await expect(
        rbac('read').patchNamespacedRoleBinding({
          name,
          namespace,
          body: patch,
        }),
      ).rejects.toThrow(/403|forbidden/i);
      const patched = await rbac('grant').patchNamespacedRoleBinding({
        name,
        namespace,
        body: patch,
      });
      expect(patched.subjects?.map(s => s.name)).toContain(serviceAccount);
    });
  });
});
