/**
 * The tenant's credentials Secret as External Secrets Operator objects: a
 * `Password` generator and an `ExternalSecret` that writes its values, plus
 * the agent's empty `clearml.conf`, into the Secret the charts read. Nothing
 * secret is in these manifests; the operator generates the values on the
 * cluster. `refreshPolicy: CreatedOnce` makes the Secret once and never
 * regenerates it (a regenerated token-signing secret would log every user out,
 * a regenerated agent key would lock the agent out until both restart).
 */
import {
  AGENT_CONFIG_CONTENT,
  AGENT_CONFIG_KEY,
  ARGOCD_SYNC_WAVE_ANNOTATION,
  GENERATED_CREDENTIAL_KEYS,
  GENERATED_CREDENTIAL_LENGTH,
  SYNC_WAVES,
  Tenant,
  TENANT_CREDENTIALS_SECRET,
  tenantOwnerLabels,
} from '@clearml-openshift/plugin-clearml-common';

/** @public */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';
/** @public */
export const PASSWORD_GENERATOR_API_VERSION =
  'generators.external-secrets.io/v1alpha1';

/**
 * A Kubernetes object as the credentials manifests build it.
 *
 * @public
 */
export interface CredentialsManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

/** @public */
export function credentialsManifests(tenant: Tenant): CredentialsManifest[] {
  const metadata = (name: string) => ({
    name,
    namespace: tenant.namespace,
    labels: tenantOwnerLabels(tenant.tenant),
    annotations: {
      [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.credentials),
    },
  });
  return [
    {
      apiVersion: PASSWORD_GENERATOR_API_VERSION,
      kind: 'Password',
      metadata: metadata(TENANT_CREDENTIALS_SECRET),
      spec: {
        length: GENERATED_CREDENTIAL_LENGTH,
        digits: 10,
        symbols: 0,
        noUpper: false,
        allowRepeat: true,
        secretKeys: [...GENERATED_CREDENTIAL_KEYS],
      },
    },
    {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: metadata(TENANT_CREDENTIALS_SECRET),
      spec: {
        refreshPolicy: 'CreatedOnce',
        target: {
          name: TENANT_CREDENTIALS_SECRET,
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          template: {
            mergePolicy: 'Merge',
            metadata: { labels: tenantOwnerLabels(tenant.tenant) },
            data: { [AGENT_CONFIG_KEY]: AGENT_CONFIG_CONTENT },
          },
        },
        dataFrom: [
          {
            sourceRef: {
              generatorRef: {
                apiVersion: PASSWORD_GENERATOR_API_VERSION,
                kind: 'Password',
                name: TENANT_CREDENTIALS_SECRET,
              },
            },
          },
        ],
      },
    },
  ];
}
