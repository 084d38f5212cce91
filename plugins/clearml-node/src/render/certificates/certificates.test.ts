import { ConfigReader } from '@backstage/config';
import {
  resolveTenant,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import { renderRoutes } from '../routes/routes';
import {
  assertCertificatesSupported,
  certificateManifests,
  readCertificateSettings,
} from './certificates';

const read = (certificates: unknown) =>
  readCertificateSettings(
    new ConfigReader({ clearml: { certificates } } as any),
  );
const tenant = (input: Partial<TenantInput> = {}) =>
  resolveTenant({ tenant: 'acme', domain: 'acme.apps.x.io', ...input });

describe('clearml.certificates', () => {
  it('defaults to the router certificate: no objects, Routes without externalCertificate', () => {
    const settings = readCertificateSettings(new ConfigReader({}));
    expect(settings).toEqual({ mode: 'routerDefault' });
    expect(certificateManifests(tenant(), settings)).toEqual([]);
    expect(
      renderRoutes(tenant(), settings).routes.map(
        r => r.spec.tls.externalCertificate,
      ),
    ).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a bad value, naming the key', () => {
    expect(() => read({ mode: 'letsencrypt' })).toThrow(
      "Invalid config at clearml.certificates.mode: 'letsencrypt' is not one of routerDefault, certManager, wildcardSecret",
    );
    expect(() => read({ mode: 'certManager' })).toThrow(
      'clearml.certificates.issuerRef: required with mode certManager',
    );
    expect(() =>
      read({ mode: 'certManager', issuerRef: { name: 'le', kind: 'Other' } }),
    ).toThrow("clearml.certificates.issuerRef.kind: 'Other' is not one of");
    expect(() =>
      read({ mode: 'certManager', issuerRef: { name: 'Bad Name' } }),
    ).toThrow(
      "clearml.certificates.issuerRef.name: 'Bad Name' is not a Kubernetes resource name",
    );
    expect(() => read({ mode: 'wildcardSecret' })).toThrow(
      'clearml.certificates.wildcardSecretName: required with mode wildcardSecret',
    );
  });

  it('refuses a secret mode below OpenShift 4.19 (Kubernetes 1.32), where externalCertificate is not GA', () => {
    const certManager = read({
      mode: 'certManager',
      issuerRef: { name: 'le' },
    });
    expect(() => assertCertificatesSupported(certManager, '1.31.8')).toThrow(
      /clearml\.certificates\.mode: certManager .*OpenShift 4\.19 .*Kubernetes 1\.31\.8/,
    );
    expect(() =>
      assertCertificatesSupported(certManager, 'v1.32.5+abc'),
    ).not.toThrow();
    expect(() =>
      assertCertificatesSupported({ mode: 'routerDefault' }, '1.28.3'),
    ).not.toThrow();
  });

  it("certManager: a Certificate for exactly the tenant's hosts (and the app gateway wildcard), the Routes use its Secret, the router may read only it", () => {
    const settings = read({
      mode: 'certManager',
      issuerRef: { name: 'le-dns', kind: 'ClusterIssuer' },
    });
    const t = tenant({ edition: 'enterprise', appGateway: { enabled: true } });
    const [certificate, role, binding] = certificateManifests(
      t,
      settings,
    ) as any[];
    expect(certificate.kind).toBe('Certificate');
    expect(certificate.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '-1',
    });
    expect(certificate.spec).toEqual({
      secretName: 'clearml-tls',
      dnsNames: [
        'acme-app.apps.x.io',
        'acme-api.apps.x.io',
        'acme-files.apps.x.io',
        '*.acme-appgw.apps.x.io',
      ],
      issuerRef: {
        group: 'cert-manager.io',
        kind: 'ClusterIssuer',
        name: 'le-dns',
      },
    });
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['clearml-tls'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'router',
        namespace: 'openshift-ingress',
      },
    ]);
    const routes = renderRoutes(t, settings);
    expect(routes.routes.map(r => r.spec.tls.externalCertificate)).toEqual(
      Array(4).fill({ name: 'clearml-tls' }),
    );
    expect(routes.file!.content).toContain(
      'Certificates: every Route is served with Secret clearml-tls',
    );
  });

  it('wildcardSecret: no Certificate, the Routes and the router Role use the configured Secret; ingress exposure adds nothing', () => {
    const settings = read({
      mode: 'wildcardSecret',
      wildcardSecretName: 'apps-wildcard-tls',
    });
    expect(
      certificateManifests(tenant(), settings).map((o: any) => o.kind),
    ).toEqual(['Role', 'RoleBinding']);
    expect(
      renderRoutes(tenant(), settings).routes.map(
        r => r.spec.tls.externalCertificate,
      ),
    ).toEqual(Array(3).fill({ name: 'apps-wildcard-tls' }));
    expect(
      certificateManifests(tenant({ exposure: 'ingress' }), settings),
    ).toEqual([]);
  });
});
