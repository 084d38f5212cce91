import { Entity } from '@backstage/catalog-model';
import { tenantEntityAnnotations } from '@clearml-openshift/plugin-clearml-common';
import { anchored } from '../__testUtils__/anchor';
import { targetNamespaces } from '../target/healthTarget';
import { healthTargetFromEntity, tenantHealthTarget } from './target';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'acme', annotations },
    spec: { type: 'clearml-tenant' },
  };
}

const base = tenantEntityAnnotations({
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  release: 'clearml',
  edition: 'enterprise',
  tenant: 'acme',
});

describe('healthTargetFromEntity', () => {
  it('reads cluster, namespaces, release and edition, and the app gateway in its own namespace', () => {
    const target = healthTargetFromEntity(
      entity({
        ...base,
        'clear.ml/app-gateway-namespace': 'clearml-acme-apps',
        'clear.ml/app-gateway-release': 'clearml-app-gateway',
      }),
    );
    expect(target).toEqual({
      cluster: 'ocp-prod',
      namespace: 'clearml-acme',
      release: 'clearml',
      edition: 'enterprise',
      appGateway: {
        namespace: 'clearml-acme-apps',
        release: 'clearml-app-gateway',
      },
      tenant: 'acme',
    });
    expect(targetNamespaces(target)).toEqual([
      'clearml-acme',
      'clearml-acme-apps',
    ]);
    expect(
      targetNamespaces({
        ...target,
        appGateway: { namespace: 'clearml-acme', release: 'gw' },
      }),
    ).toEqual(['clearml-acme']);
  });

  it("takes the pull request's repository from the entity's anchor and its branch from a ref-name-checked annotation", () => {
    const withGitops = tenantEntityAnnotations({
      cluster: 'ocp-prod',
      namespace: 'clearml-acme',
      release: 'clearml',
      edition: 'oss',
      tenant: 'acme',
      gitops: {
        repoUrl: 'github.com?owner=victim&repo=secrets',
        branch: 'clearml/acme-2',
      },
    });
    const sources = {
      repositories: [{ host: 'github.com', owner: 'platform', repo: 'gitops' }],
      localHosts: [],
      clearmlBaseUrls: [],
    };
    expect(
      tenantHealthTarget(anchored(entity(withGitops)), sources).gitops,
    ).toEqual({
      repoUrl: 'github.com?owner=platform&repo=gitops',
      branch: 'clearml/acme-2',
    });
    const { 'clear.ml/gitops-branch': _branch, ...withoutBranch } = withGitops;
    expect(
      tenantHealthTarget(anchored(entity(withoutBranch)), sources).gitops,
    ).toEqual({
      repoUrl: 'github.com?owner=platform&repo=gitops',
      branch: 'clearml/acme',
    });
    for (const branch of ['../../HEAD', 'refs/tags/x', 'a b', '-x', 'HEAD']) {
      expect(() =>
        tenantHealthTarget(
          anchored(entity({ ...base, 'clear.ml/gitops-branch': branch })),
          sources,
        ),
      ).toThrow('clear.ml/gitops-branch must');
    }
    expect(() => tenantHealthTarget(entity(base), sources)).toThrow(
      'Entity cannot be checked as a ClearML tenant: it was not registered from its own file tenants/acme/catalog-info.yaml',
    );
  });

  it('lists every bad annotation at once', () => {
    expect(() =>
      healthTargetFromEntity(
        entity({
          ...base,
          'clear.ml/edition': 'premium',
          'clear.ml/namespace': 'Clearml_Acme',
          'clear.ml/app-gateway-namespace': 'apps',
        }),
      ),
    ).toThrow(
      'Entity cannot be checked as a ClearML tenant: clear.ml/namespace must be a DNS-1123 label (got "Clearml_Acme"); ' +
        'clear.ml/edition must be one of oss, enterprise (got "premium"); ' +
        'clear.ml/app-gateway-namespace and clear.ml/app-gateway-release must be set together',
    );
  });
});
