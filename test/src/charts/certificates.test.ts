/**
 * Every Route host is covered by the certificate that serves it, in each `clearml.certificates` mode, on the objects
 * Argo CD applies (the real chart through `helm template`, and the tenant directory's plain manifests): the router's
 * default `*.<appsDomain>`, the tenant's cert-manager Certificate (validated against cert-manager's CRD), or the
 * configured wildcard Secret. A wildcard covers exactly one label (`certificateCovers`).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { JsonObject } from '@backstage/types';
import {
  certificateCovers,
  defaultTenantDomain,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';
import { KubeObject, syncApplications } from './argocdSync';
import { routeProblems } from '@internal/clearml-test-utils';
import { crdValidator } from './schemaValidators';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';

jest.setTimeout(120_000);

const KUBE_VERSION = '1.32.5';
const APPS_DOMAIN = 'apps.ocp.example.com';
const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-certs-'));
afterAll(() => fs.rmSync(repoRoot, { recursive: true, force: true }));

async function deploy(tenant: string, config: JsonObject) {
  const { dir } = writeTenantDirectory({
    repoRoot,
    input: { tenant, domain: defaultTenantDomain(tenant, APPS_DOMAIN) },
    kubernetesVersion: KUBE_VERSION,
    config,
  });
  const synced = await syncApplications({
    repoRoot,
    applicationsFile: path.join(dir, 'applications.yaml'),
    clusterVersion: KUBE_VERSION,
  });
  return synced.flatMap(a => a.objects);
}

/** The certificate names that serve a Route: its external Secret's (as the cluster holds it), or the router's. */
function servingNames(
  route: KubeObject,
  secrets: Record<string, string[]>,
): string[] {
  const secret = route.spec.tls?.externalCertificate?.name;
  return secret ? (secrets[secret] ?? []) : [`*.${APPS_DOMAIN}`];
}

function expectCovered(
  objects: KubeObject[],
  secrets: Record<string, string[]>,
) {
  const routes = objects.filter(o => o.kind === 'Route');
  expect(routes.length).toBe(3);
  for (const route of routes) {
    expect(route.spec.tls.termination).toBe('edge');
    expect(route.spec.tls.certificate).toBeUndefined();
    const names = servingNames(route, secrets);
    expect([
      route.spec.host,
      names.some(n => certificateCovers(n, route.spec.host)),
    ]).toEqual([route.spec.host, true]);
  }
  // The Route schema, its CEL rules (e.g. externalCertificate excludes certificate) and OpenShift's validation.
  expect(routes.flatMap(r => routeProblems(r))).toEqual([]);
  return routes;
}

/** The router may read the Secret its Routes name, and nothing else. */
const routerBindings = (objects: KubeObject[]) =>
  objects.filter(
    o =>
      o.kind === 'RoleBinding' &&
      (o.subjects ?? []).some(
        (sub: any) =>
          sub.kind === 'ServiceAccount' &&
          sub.namespace === 'openshift-ingress' &&
          sub.name === 'router',
      ),
  );

/** The router may read the Secret its Routes name, and nothing else. */
function expectRouterReads(objects: KubeObject[], secret: string) {
  const bindings = routerBindings(objects);
  expect(bindings.length).toBe(1);
  const [binding] = bindings;
  const role = objects.find(
    o =>
      o.kind === 'Role' &&
      o.metadata.name === binding.roleRef.name &&
      o.metadata.namespace === binding.metadata.namespace,
  );
  expect(binding.roleRef.kind).toBe('Role');
  expect(role?.rules).toEqual([
    {
      apiGroups: [''],
      resources: ['secrets'],
      resourceNames: [secret],
      verbs: ['get', 'list', 'watch'],
    },
  ]);
}

describe('certificates that cover the hosts (clearml.certificates)', () => {
  it("routerDefault: the router's *.<appsDomain> serves and covers every Route; nothing else is applied", async () => {
    const objects = await deploy('lambda', {});
    expectCovered(objects, {});
    expect(objects.filter(o => o.kind === 'Certificate')).toEqual([]);
    expect(routerBindings(objects)).toEqual([]);
  });

  it("certManager: the tenant's Certificate (valid for cert-manager's CRD) names exactly its hosts, is applied before the Routes, and serves them", async () => {
    const objects = await deploy('mu', {
      certificates: {
        mode: 'certManager',
        issuerRef: { name: 'letsencrypt-dns01', kind: 'ClusterIssuer' },
      },
    });
    const certificates = objects.filter(o => o.kind === 'Certificate');
    expect(certificates.length).toBe(1);
    const [certificate] = certificates;
    const schema = crdValidator(
      'cert-manager',
      'cert-manager.io_certificates.yaml',
      'v1',
    );
    expect([schema(certificate), schema.errors ?? null]).toEqual([true, null]);
    const hosts = tenantHosts(defaultTenantDomain('mu', APPS_DOMAIN));
    expect([...certificate.spec.dnsNames].sort()).toEqual(
      [hosts.api, hosts.files, hosts.web].sort(),
    );
    const routes = expectCovered(objects, {
      [certificate.spec.secretName]: certificate.spec.dnsNames,
    });
    expect(routes.map(r => r.spec.tls.externalCertificate.name)).toEqual(
      Array(3).fill(certificate.spec.secretName),
    );
    const wave = (o: KubeObject) =>
      Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    expect(wave(certificate)).toBeLessThan(Math.min(...routes.map(wave)));
    expectRouterReads(objects, certificate.spec.secretName);
  });

  it('wildcardSecret: the Routes use the configured Secret; its wildcard covers every host, a wildcard one label deeper covers none', async () => {
    const objects = await deploy('nu', {
      certificates: {
        mode: 'wildcardSecret',
        wildcardSecretName: 'apps-wildcard-tls',
      },
    });
    expect(objects.filter(o => o.kind === 'Certificate')).toEqual([]);
    expectCovered(objects, { 'apps-wildcard-tls': [`*.${APPS_DOMAIN}`] });
    expectRouterReads(objects, 'apps-wildcard-tls');
    const routes = objects.filter(o => o.kind === 'Route');
    expect(
      routes.filter(r => certificateCovers(`*.ocp.example.com`, r.spec.host)),
    ).toEqual([]);
  });
});
