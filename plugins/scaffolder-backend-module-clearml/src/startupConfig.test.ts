import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleClearml from './index';

function start(clearml: object) {
  return startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleClearml,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: { clearml } }),
    ],
  });
}

describe('the module refuses to start on a clearml key of the wrong type, naming the key', () => {
  it.each([
    [{ scc: { allowed: 5 } }, 'clearml.scc.allowed'],
    [
      { scc: { allowedServiceAccounts: 'clearml' } },
      'clearml.scc.allowedServiceAccounts',
    ],
    [
      { gitops: { protectedBranches: true } },
      'clearml.gitops.protectedBranches',
    ],
    [
      { gitops: { argocd: { namespace: 5 } } },
      'clearml.gitops.argocd.namespace',
    ],
    [{ clusters: [{ name: 'a', url: 7 }] }, 'clearml.clusters[0].url'],
    [{ images: { registry: ['mirror'] } }, 'clearml.images.registry'],
  ])('%j', async (clearml, key) => {
    await expect(start(clearml)).rejects.toThrow(
      new RegExp(
        `scaffolder-backend-module-clearml: invalid configuration, not starting: .*${key.replace(/[.[\]]/g, '\\$&')}`,
      ),
    );
  });

  it('starts with the same keys well typed', async () => {
    const backend = await start({
      scc: { allowed: ['anyuid'], allowedServiceAccounts: [] },
      gitops: { protectedBranches: ['main'], argocd: { automatedSync: true } },
    });
    await backend.stop();
  });
});
