/**
 * `clearml:credentials:create`: the direct delivery of the tenant's own
 * credentials (`clearml.credentials.delivery: direct`). Creates the Secret the
 * charts read (server keys, token-signing secret, the agent's credential) in
 * the tenant's namespace with values generated here, once the pull request is
 * open and before it can be merged (the template runs it after the PR step,
 * which refuses a tenant whose namespace exists without an open pull request),
 * so the server starts with them and the agent logs in. Never
 * overwrites: an existing Secret with every key is kept as is. Everything is
 * checked (input, config, namespace ownership, the credential's rights, the
 * existing Secret) before the first write; a dry run writes nothing.
 */
import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  AGENT_CONFIG_KEY,
  GENERATED_CREDENTIAL_KEYS,
  resolveTenant,
  TENANT_CREDENTIALS_SECRET,
} from '@clearml-openshift/plugin-clearml-common';
import {
  AccessCheck,
  CREDENTIALS_DELIVERY_KEY,
  deniedAccess,
  describeAccess,
  KubernetesClientFactory,
  kubernetesClientFactory,
  readCredentialsDelivery,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { V1Secret } from '@kubernetes/client-node';
import { NotAllowedError } from '@backstage/errors';
import { examples } from './credentialsCreate.examples';
import { tenantInputSchema } from './tenantInput';
import {
  clusterCallError,
  GRANTER_DOCS,
  statusCode,
} from './cluster/clusterErrors';
import { configuredCluster, tenantPreflight } from './cluster/tenantPreflight';
import { createTenantNamespaceOnce } from './cluster/tenantNamespaceCreate';
import {
  credentialAccessChecks,
  tenantCredentialsSecret,
} from './cluster/credentialsSecret';

/**
 * The id of the action that creates a tenant's credentials Secret (`createClearmlCredentialsCreateAction`).
 *
 * @public
 */
export const CREDENTIALS_CREATE_ACTION_ID = 'clearml:credentials:create';

/**
 * `clearml:credentials:create`: with `clearml.credentials.delivery: direct`, creates the tenant's own credentials
 * Secret (generated here, never in git) in its namespace with the cluster's `grantToken`, never overwriting one that
 * exists; with `externalSecrets` (the default) it does nothing, the pull request's ExternalSecret does it.
 *
 * @public
 */
export function createClearmlCredentialsCreateAction(options: {
  config: Config;
  /** Builds the Kubernetes clients of a cluster; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
}) {
  const clientFactory =
    options.kubernetesClientFactory ?? kubernetesClientFactory();
  const delivery = readCredentialsDelivery(options.config);

  return createTemplateAction({
    id: CREDENTIALS_CREATE_ACTION_ID,
    description:
      `Creates the tenant's own credentials Secret ${TENANT_CREDENTIALS_SECRET} (the server's keys and token-signing secret, ` +
      "the agent's credential the server provisions at start) in the tenant's namespace, with values generated here, " +
      'when clearml.credentials.delivery is direct. Never overwrites an existing Secret; nothing to do with externalSecrets ' +
      '(the pull request then holds an ExternalSecret).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z => z.string().describe('Cluster name from clearml.clusters'),
        tenant: tenantInputSchema.tenant,
        namespace: tenantInputSchema.namespace,
        createNamespace: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Create the tenant's namespace, labelled clear.ml/tenant=<tenant>, when it does not exist (default false). " +
                'Before the merge the namespace does not exist yet; the Argo CD unit adopts it',
            ),
      },
      output: {
        secret: z =>
          z.string().describe("The credentials Secret's name in the namespace"),
        created: z =>
          z
            .boolean()
            .describe(
              'True when this run created the Secret (or would, in a dry run); false when it existed or delivery is externalSecrets',
            ),
        delivery: z =>
          z
            .enum(['externalSecrets', 'direct'])
            .describe('clearml.credentials.delivery on this Backstage'),
      },
    },
    async handler(ctx) {
      const tenant = resolveTenant(ctx.input, { domain: 'ignored' });
      const namespace = tenant.namespace;
      const createNamespace = ctx.input.createNamespace ?? false;
      ctx.output('secret', TENANT_CREDENTIALS_SECRET);
      ctx.output('delivery', delivery);
      if (delivery !== 'direct') {
        ctx.logger.info(
          `${CREDENTIALS_DELIVERY_KEY} is ${delivery}: the pull request's ExternalSecret creates ${TENANT_CREDENTIALS_SECRET} ` +
            `in ${namespace} on the cluster; nothing to do`,
        );
        ctx.output('created', false);
        return;
      }
      const cluster = configuredCluster(
        options.config,
        ctx.input.cluster,
        'cluster',
        'grant',
      );
      const where = `on cluster '${cluster.name}'`;
      const dryRun = ctx.isDryRun ? 'All' : undefined;

      const { clients, namespaceExists } = await tenantPreflight({
        config: options.config,
        clientFactory,
        tenant: tenant.tenant,
        cluster,
        namespace,
        fields: { namespace: 'namespace' },
        credential: 'grant',
      });
      if (!namespaceExists && !createNamespace) {
        throw new InputError(
          `namespace: namespace '${namespace}' does not exist ${where}; set createNamespace: true to create it, or create it first`,
        );
      }
      let denied: AccessCheck[];
      try {
        denied = await deniedAccess(
          clients,
          credentialAccessChecks(namespace, !namespaceExists),
        );
      } catch (error) {
        throw clusterCallError(
          error,
          cluster,
          clients,
          `Reviewing the grant credential's rights ${where}`,
          'create on selfsubjectaccessreviews',
        );
      }
      if (denied.length) {
        throw new NotAllowedError(
          `The grant credential of cluster '${cluster.name}' may not ${denied.map(describeAccess).join(', ')}; ` +
            `nothing was written. Bind it to the ClusterRole in ${GRANTER_DOCS}`,
        );
      }

      let existing: V1Secret | undefined;
      if (namespaceExists) {
        try {
          existing = await clients.core.readNamespacedSecret({
            name: TENANT_CREDENTIALS_SECRET,
            namespace,
          });
        } catch (error) {
          if (statusCode(error) !== 404)
            throw clusterCallError(
              error,
              cluster,
              clients,
              `Reading Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace}`,
              `get on secrets named ${TENANT_CREDENTIALS_SECRET} in ${namespace}`,
            );
        }
      }
      if (existing) {
        const keys = Object.keys({
          ...(existing.data ?? {}),
          ...(existing.stringData ?? {}),
        });
        const missing = [...GENERATED_CREDENTIAL_KEYS, AGENT_CONFIG_KEY].filter(
          key => !keys.includes(key),
        );
        if (missing.length) {
          throw new ConflictError(
            `Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace} ${where} exists without the keys ${missing.join(', ')}; ` +
              'it is left alone and nothing was written. Add the keys or delete the Secret so the next run creates it',
          );
        }
        ctx.logger.info(
          `Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace} ${where} already holds every key; kept as is`,
        );
        ctx.output('created', false);
        return;
      }

      const checkpointPrefix = `${CREDENTIALS_CREATE_ACTION_ID}:${cluster.name}/${namespace}`;
      if (!namespaceExists) {
        await createTenantNamespaceOnce({
          ctx,
          createdBy: CREDENTIALS_CREATE_ACTION_ID,
          checkpointPrefix,
          clients,
          cluster,
          namespace,
          tenant: tenant.tenant,
          dryRun,
        });
      }
      // The values never enter the task's log, output or checkpoint: only whether the Secret was created.
      const created = await ctx.checkpoint({
        key: `${checkpointPrefix}:secret`,
        fn: async () => {
          if (dryRun && !namespaceExists) return true; // the server cannot dry-run a create in a namespace that does not exist
          try {
            await clients.core.createNamespacedSecret({
              namespace,
              body: tenantCredentialsSecret(
                tenant.tenant,
                namespace,
                CREDENTIALS_CREATE_ACTION_ID,
              ),
              dryRun,
            });
            return true;
          } catch (error) {
            // Created meanwhile (a retried task, a second run): kept, never overwritten.
            if (statusCode(error) === 409) return false;
            throw clusterCallError(
              error,
              cluster,
              clients,
              `Creating Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace}`,
              `create on secrets in ${namespace}`,
            );
          }
        },
      });
      ctx.logger.info(
        created
          ? `${dryRun ? 'Dry run: would create' : 'Created'} Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace} ${where} ` +
              `(${GENERATED_CREDENTIAL_KEYS.length} generated values and the agent's clearml.conf)`
          : `Secret ${TENANT_CREDENTIALS_SECRET} in ${namespace} ${where} was created meanwhile; kept as is`,
      );
      ctx.output('created', created);
    },
  });
}
