/**
 * The tenant's credentials Secret as `clearml:credentials:create` creates it:
 * a fresh CSPRNG value per generated key and the agent's empty clearml.conf,
 * labelled for the tenant; and the rights creating it takes.
 */
import {
  AGENT_CONFIG_CONTENT,
  AGENT_CONFIG_KEY,
  GENERATED_CREDENTIAL_KEYS,
  GENERATED_CREDENTIAL_LENGTH,
  TENANT_CREDENTIALS_SECRET,
  tenantOwnerLabels,
} from '@clearml-openshift/plugin-clearml-common';
import type { AccessCheck } from '@clearml-openshift/plugin-clearml-node';
import type { V1Secret } from '@kubernetes/client-node';
import { randomInt } from 'crypto';

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A value from a CSPRNG, letters and digits only (the apiserver parses its env as HOCON). */
export function generateCredentialValue(
  length = GENERATED_CREDENTIAL_LENGTH,
): string {
  let value = '';
  for (let i = 0; i < length; i++)
    value += ALPHABET[randomInt(ALPHABET.length)];
  return value;
}

/** The Secret's data: a fresh value per generated key and the agent's empty clearml.conf. */
export function tenantCredentialsSecret(
  tenant: string,
  namespace: string,
  /** The action that creates it, recorded in `backstage.io/created-by`. */
  createdBy: string,
): V1Secret {
  const stringData: Record<string, string> = {};
  for (const key of GENERATED_CREDENTIAL_KEYS)
    stringData[key] = generateCredentialValue();
  stringData[AGENT_CONFIG_KEY] = AGENT_CONFIG_CONTENT;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: TENANT_CREDENTIALS_SECRET,
      namespace,
      labels: tenantOwnerLabels(tenant),
      annotations: {
        'backstage.io/created-by': createdBy,
      },
    },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(stringData).map(([k, v]) => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    ),
  };
}

/** The rights creating the Secret (and, when asked, its namespace) uses. */
export function credentialAccessChecks(
  namespace: string,
  createNamespace: boolean,
): AccessCheck[] {
  return [
    ...(createNamespace
      ? [{ verb: 'create', group: '', resource: 'namespaces' }]
      : []),
    {
      verb: 'get',
      group: '',
      resource: 'secrets',
      namespace,
      name: TENANT_CREDENTIALS_SECRET,
    },
    { verb: 'create', group: '', resource: 'secrets', namespace },
  ];
}
