/**
 * The tenant's own ClearML credentials: one Secret in the tenant's namespace
 * that the server chart reads through `clearml.existingSecret` and the agent
 * chart through `clearml.existingAgentk8sglueSecret` /
 * `clearml.existingClearmlConfigSecret`. Its name, its keys and how it reaches
 * the cluster are defined here once; the values renderer, the External
 * Secrets manifests, the direct-mode action and the tests read them.
 */

/**
 * Name of the tenant's credentials Secret in its namespace.
 *
 * @public
 */
export const TENANT_CREDENTIALS_SECRET = 'clearml-credentials';

/**
 * The keys the `clearml` chart (7.14.x) reads from `clearml.existingSecret`
 * (templates/apiserver-deployment.yaml, fileserver-deployment.yaml,
 * apiserver-asyncdelete-deployment.yaml: `secretKeyRef.key`).
 *
 * @public
 */
export const SERVER_SECRET_KEYS = [
  'apiserver_key',
  'apiserver_secret',
  'fileserver_key',
  'fileserver_secret',
  'secure_auth_token_secret',
  'test_user_key',
  'test_user_secret',
] as const;

/**
 * The keys the `clearml-agent` chart (5.3.x) reads from
 * `clearml.existingAgentk8sglueSecret` (templates/agentk8sglue-deployment.yaml
 * and agentk8sglue-configmap.yaml for the task pods).
 *
 * @public
 */
export const AGENT_SECRET_KEYS = {
  accessKey: 'agentk8sglue_key',
  secretKey: 'agentk8sglue_secret',
} as const;

/**
 * The key the agent chart mounts as `/root/clearml.conf` from
 * `clearml.existingClearmlConfigSecret`; setting that too keeps the chart from
 * rendering its own `-ac` Secret with its public `ACCESSKEY`/`SECRETKEY`.
 *
 * @public
 */
export const AGENT_CONFIG_KEY = 'clearml.conf';

/**
 * The agent's `clearml.conf`: empty, everything comes from the environment.
 *
 * @public
 */
export const AGENT_CONFIG_CONTENT = 'sdk {\n}\n';

/**
 * Every key of the Secret that holds a generated value.
 *
 * @public
 */
export const GENERATED_CREDENTIAL_KEYS: readonly string[] = [
  ...SERVER_SECRET_KEYS,
  AGENT_SECRET_KEYS.accessKey,
  AGENT_SECRET_KEYS.secretKey,
];

/**
 * Length of each generated value. Only letters and digits: the apiserver
 * parses every `CLEARML__*` variable as HOCON (`ConfigFactory.parse_string`
 * in apiserver/config/basic.py), where `#`, `:`, `{` or quotes would change
 * the value.
 *
 * @public
 */
export const GENERATED_CREDENTIAL_LENGTH = 40;

/**
 * The `secure.credentials` entry of the apiserver that carries the agent's
 * credential: `services_agent` (role admin in apiserver/config/default/secure.conf),
 * the entry ClearML's own docker-compose fills from `CLEARML_AGENT_ACCESS_KEY`
 * for its agent. The server (re)creates the user of every entry with exactly
 * that key and secret at each start (apiserver/mongo/initialize).
 *
 * @public
 */
export const AGENT_SERVER_CREDENTIALS_ENTRY = 'services_agent';

/**
 * The apiserver environment variables that provision the agent's credential.
 *
 * @public
 */
export function agentCredentialServerEnv(): Array<{
  name: string;
  key: string;
}> {
  const prefix = `CLEARML__secure__credentials__${AGENT_SERVER_CREDENTIALS_ENTRY}`;
  return [
    { name: `${prefix}__user_key`, key: AGENT_SECRET_KEYS.accessKey },
    { name: `${prefix}__user_secret`, key: AGENT_SECRET_KEYS.secretKey },
  ];
}

/**
 * How the credentials Secret reaches the cluster (`clearml.credentials.delivery`):
 * `externalSecrets` puts an ExternalSecret with a Password generator into the
 * pull request (the External Secrets Operator creates the Secret once);
 * `direct` has `clearml:credentials:create` create it before the pull request.
 *
 * @public
 */
export const CREDENTIALS_DELIVERIES = ['externalSecrets', 'direct'] as const;

/** @public */
export type CredentialsDelivery = (typeof CREDENTIALS_DELIVERIES)[number];

/** @public */
export const DEFAULT_CREDENTIALS_DELIVERY: CredentialsDelivery =
  'externalSecrets';
