/**
 * `clearml.certificates`: which certificate serves a tenant's Routes (docs/credentials.md#certificates-that-cover-the-hosts).
 * - `routerDefault` (the default): Routes carry no certificate; the router's default `*.<apps domain>` serves them.
 * - `certManager`: a cert-manager `Certificate` per tenant (dnsNames = the tenant's hosts) issues Secret
 *   `clearml-tls`; the Routes reference it through `spec.tls.externalCertificate`.
 * - `wildcardSecret`: the Routes reference an existing wildcard Secret in the tenant's namespace the same way.
 * Both secret modes grant the router's ServiceAccount read access to that one Secret (OpenShift's "Creating a route
 * with externally managed certificates"), and need `externalCertificate`, GA in OpenShift 4.19 (Kubernetes 1.32).
 */
import type { Config } from '@backstage/config';
import {
  ARGOCD_SYNC_WAVE_ANNOTATION,
  SYNC_WAVES,
  Tenant,
  tenantHosts,
  TENANT_LABEL_KEYS,
  tenantPartOf,
  MANAGED_BY_BACKSTAGE,
} from '@clearml-openshift/plugin-clearml-common';
import semver from 'semver';

/** @public */
export const CERTIFICATE_MODES = [
  'routerDefault',
  'certManager',
  'wildcardSecret',
] as const;

/** @public */
export type CertificateMode = (typeof CERTIFICATE_MODES)[number];

/** @public */
export interface CertificateSettings {
  mode: CertificateMode;
  /** certManager: the Issuer or ClusterIssuer that signs the tenant's Certificate. */
  issuerRef?: { name: string; kind: 'Issuer' | 'ClusterIssuer' };
  /** wildcardSecret: the `kubernetes.io/tls` Secret in each tenant namespace. */
  wildcardSecretName?: string;
}

/** @public */
export const CERTIFICATES_CONFIG_KEY = 'clearml.certificates';

/** The Secret cert-manager writes the tenant's certificate to (certManager mode). */
export const TENANT_TLS_SECRET = 'clearml-tls';

/**
 * `spec.tls.externalCertificate` is GA from OpenShift 4.19 (Kubernetes 1.32); in 4.16–4.18 it is Technology Preview
 * behind the `RouteExternalCertificate` feature gate (OpenShift 4.19 and 4.16 release notes).
 */
export const EXTERNAL_CERTIFICATE_MIN_KUBERNETES = '1.32.0';

/** The router's ServiceAccount, which must read a Route's external certificate Secret. */
export const ROUTER_SERVICE_ACCOUNT = {
  namespace: 'openshift-ingress',
  name: 'router',
} as const;

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(key: string, reason: string): Error {
  return new Error(
    `Invalid config at ${CERTIFICATES_CONFIG_KEY}.${key}: ${reason}`,
  );
}

function resourceName(config: Config, key: string): string {
  const value = config.getString(key);
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw invalid(key, `'${value}' is not a Kubernetes resource name`);
  }
  return value;
}

/**
 * Reads `clearml.certificates`; an error names the key.
 *
 * @public
 */
export function readCertificateSettings(config: Config): CertificateSettings {
  const section = config.getOptionalConfig(CERTIFICATES_CONFIG_KEY);
  const mode = section?.getOptionalString('mode') ?? 'routerDefault';
  if (!(CERTIFICATE_MODES as readonly string[]).includes(mode)) {
    throw invalid(
      'mode',
      `'${mode}' is not one of ${CERTIFICATE_MODES.join(', ')}`,
    );
  }
  if (mode === 'certManager') {
    if (!section?.has('issuerRef')) {
      throw invalid('issuerRef', 'required with mode certManager');
    }
    const kind = section.getOptionalString('issuerRef.kind') ?? 'ClusterIssuer';
    if (kind !== 'Issuer' && kind !== 'ClusterIssuer') {
      throw invalid(
        'issuerRef.kind',
        `'${kind}' is not one of Issuer, ClusterIssuer`,
      );
    }
    return {
      mode,
      issuerRef: { name: resourceName(section, 'issuerRef.name'), kind },
    };
  }
  if (mode === 'wildcardSecret') {
    if (!section?.has('wildcardSecretName')) {
      throw invalid('wildcardSecretName', 'required with mode wildcardSecret');
    }
    return {
      mode,
      wildcardSecretName: resourceName(section, 'wildcardSecretName'),
    };
  }
  return { mode: 'routerDefault' };
}

/**
 * Refuses a secret mode on a cluster whose Kubernetes version is below 1.32 (OpenShift 4.19, where
 * `spec.tls.externalCertificate` is generally available).
 *
 * @public
 */
export function assertCertificatesSupported(
  settings: CertificateSettings,
  kubernetesVersion: string | undefined,
): void {
  if (settings.mode === 'routerDefault' || !kubernetesVersion) return;
  const version = semver.coerce(kubernetesVersion);
  if (version && semver.lt(version, EXTERNAL_CERTIFICATE_MIN_KUBERNETES)) {
    throw invalid(
      'mode',
      `${settings.mode} serves Routes through spec.tls.externalCertificate, GA from OpenShift 4.19 (Kubernetes ` +
        `${EXTERNAL_CERTIFICATE_MIN_KUBERNETES}); the cluster runs Kubernetes ${kubernetesVersion}`,
    );
  }
}

/** The Secret the tenant's Routes reference, or undefined when the router's default certificate serves them. */
export function routeCertificateSecret(
  settings: CertificateSettings,
): string | undefined {
  if (settings.mode === 'certManager') return TENANT_TLS_SECRET;
  if (settings.mode === 'wildcardSecret') return settings.wildcardSecretName;
  return undefined;
}

/** The names the tenant's certificate must carry: its hosts, and the app gateway's wildcard when enabled. */
export function tenantCertificateNames(tenant: Tenant): string[] {
  const hosts = tenantHosts(tenant.domain);
  return [
    hosts.web,
    hosts.api,
    hosts.files,
    ...(tenant.appGateway.enabled ? [hosts.appGateway] : []),
  ];
}

/**
 * The objects a secret mode adds to the tenant's directory, applied before the Routes (sync wave of the credentials):
 * the cert-manager Certificate (certManager), and the Role and RoleBinding that let the router read that one Secret.
 *
 * @public
 */
export function certificateManifests(
  tenant: Tenant,
  settings: CertificateSettings,
): Record<string, unknown>[] {
  const secret = routeCertificateSecret(settings);
  if (!secret || tenant.exposure !== 'route') return [];
  const metadata = (name: string) => ({
    name,
    namespace: tenant.namespace,
    labels: {
      [TENANT_LABEL_KEYS.partOf]: tenantPartOf(tenant.tenant),
      [TENANT_LABEL_KEYS.managedBy]: MANAGED_BY_BACKSTAGE,
    },
    annotations: {
      [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.credentials),
    },
  });
  const readerName = `${secret}-router-reader`;
  const objects: Record<string, unknown>[] = [];
  if (settings.mode === 'certManager' && settings.issuerRef) {
    objects.push({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: metadata(TENANT_TLS_SECRET),
      spec: {
        secretName: TENANT_TLS_SECRET,
        dnsNames: tenantCertificateNames(tenant),
        issuerRef: {
          group: 'cert-manager.io',
          kind: settings.issuerRef.kind,
          name: settings.issuerRef.name,
        },
      },
    });
  }
  objects.push(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(readerName),
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [secret],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(readerName),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: readerName,
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: ROUTER_SERVICE_ACCOUNT.name,
          namespace: ROUTER_SERVICE_ACCOUNT.namespace,
        },
      ],
    },
  );
  return objects;
}
