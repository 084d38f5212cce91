import {
  CLEARML_ANNOTATIONS,
  parseTenantEntityAnnotations,
  tenantEntityAnnotations,
} from './annotations';

describe('tenant entity annotations', () => {
  const written = tenantEntityAnnotations({
    tenant: 'acme',
    cluster: 'prod',
    namespace: 'clearml-acme',
    release: 'clearml',
    edition: 'enterprise',
    appGateway: { namespace: 'clearml-acme', release: 'clearml-app-gateway' },
    gitops: { repoUrl: 'github.com?owner=o&repo=r', branch: 'clearml/acme' },
  });

  it('reads back what the renderer writes, except the free repository annotation', () => {
    expect(parseTenantEntityAnnotations(written)).toEqual({
      values: {
        cluster: 'prod',
        namespace: 'clearml-acme',
        release: 'clearml',
        edition: 'enterprise',
        appGateway: {
          namespace: 'clearml-acme',
          release: 'clearml-app-gateway',
        },
        gitopsBranch: 'clearml/acme',
      },
    });
  });

  it('names every missing or malformed annotation', () => {
    expect(
      parseTenantEntityAnnotations({
        [CLEARML_ANNOTATIONS.cluster]: 'prod',
        [CLEARML_ANNOTATIONS.namespace]: 'Not_A_Label',
        [CLEARML_ANNOTATIONS.edition]: 'premium',
        [CLEARML_ANNOTATIONS.gitopsBranch]: 'refs/../main',
      }),
    ).toEqual({
      problems: [
        'missing clear.ml/release',
        'clear.ml/namespace must be a DNS-1123 label (got "Not_A_Label")',
        'clear.ml/edition must be one of oss, enterprise (got "premium")',
        expect.stringMatching(
          /^clear\.ml\/gitops-branch .*\(got "refs\/\.\.\/main"\); it names a branch under refs\/heads\/$/,
        ),
      ],
    });
    expect(parseTenantEntityAnnotations(undefined)).toEqual({
      problems: [
        'missing clear.ml/cluster, clear.ml/namespace, clear.ml/release, clear.ml/edition',
      ],
    });
  });
});
