/**
 * Values that point the open-source charts at the tenant's own credentials
 * Secret (clearml-common's credentials.ts) instead of the keys published in
 * the charts' values.yaml, and provision the agent's credential in the server
 * from its first start.
 */
import {
  AGENT_SERVER_CREDENTIALS_ENTRY,
  agentCredentialServerEnv,
  TENANT_CREDENTIALS_SECRET,
  Tenant,
} from '@clearml-openshift/plugin-clearml-common';
import { Values } from './files';

/**
 * `apiserver.extraEnvs`: the agent's key and secret as a `secure.credentials`
 * entry, read from the tenant's Secret. The apiserver turns every `CLEARML__a__b`
 * variable into config key `a.b` (apiserver/config/basic.py) and creates a
 * user with each `secure.credentials` entry's key and secret at start
 * (apiserver/mongo/initialize/__init__.py, init_mongo_data).
 */
export function serverCredentialEnv(): Values[] {
  return agentCredentialServerEnv().map(({ name, key }) => ({
    name,
    valueFrom: { secretKeyRef: { name: TENANT_CREDENTIALS_SECRET, key } },
  }));
}

/**
 * What the chart's own Secret `clearml-conf` holds: the chart renders it even
 * with `existingSecret` set (templates/clearml-secrets.yaml has no condition in
 * 7.14.4), and no pod reads it then. A marker instead of the published keys.
 */
export const UNUSED_CHART_SECRET_VALUE = `unused-see-secret-${TENANT_CREDENTIALS_SECRET}`;

const CHART_SECRET_VALUE_KEYS = [
  'apiserverKey',
  'apiserverSecret',
  'fileserverKey',
  'fileserverSecret',
  'secureAuthTokenSecret',
  'testUserKey',
  'testUserSecret',
];

/** The `clearml:` block of the server chart's values. */
export function serverCredentialValues(tenant: Tenant): Values {
  return {
    existingSecret: TENANT_CREDENTIALS_SECRET,
    ...Object.fromEntries(
      CHART_SECRET_VALUE_KEYS.map(key => [key, UNUSED_CHART_SECRET_VALUE]),
    ),
    // The readiness probe sends these as a Basic header to /debug.ping, which the server does not authorize
    // (apiserver/schema/services/debug.conf: `authorize: false`); they are no credential, just not the chart's public pair.
    readinessprobeKey: 'readiness-probe',
    readinessprobeSecret: 'debug-ping-needs-no-credential',
    // Only an env value (CLEARML__apiserver__default_company_name) the server reads nowhere; the tenant's name instead of the chart's published ID.
    defaultCompany: tenant.tenant,
  };
}

/** The `clearml:` block of the agent chart's values. */
export function agentCredentialValues(): Values {
  return {
    existingAgentk8sglueSecret: TENANT_CREDENTIALS_SECRET,
    // With both set the chart renders no `-ac` Secret of its own (templates/clearml-secrets.yaml), so its published key pair appears nowhere.
    existingClearmlConfigSecret: TENANT_CREDENTIALS_SECRET,
  };
}

export const CREDENTIAL_DEVIATIONS = {
  server: `clearml.existingSecret is the tenant's own Secret ${TENANT_CREDENTIALS_SECRET} (generated per tenant, never in git) instead of the keys published in the chart's values.yaml; apiserver.extraEnvs provisions the agent's credential as secure.credentials.${AGENT_SERVER_CREDENTIALS_ENTRY}`,
  agent: `clearml.existingAgentk8sglueSecret and existingClearmlConfigSecret are the tenant's Secret ${TENANT_CREDENTIALS_SECRET}: the agent logs in with the credential the server was started with, not the key pair published in the chart's values.yaml (clearml-helm-charts#281)`,
};
