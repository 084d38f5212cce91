/**
 * `clearml:scc:grant`: what `oc adm policy add-scc-to-user <scc> -z <sa> -n <ns>`
 * does, through the Kubernetes API, for exactly the grants the values renderer
 * computes for the tenant (or ServiceAccounts the platform's config allows).
 * Everything is checked (input, config, the tenant's namespace, the grant
 * credential's rights, the cluster's current state) before the first write,
 * so a refusal changes nothing.
 * Here: input, grant policy, the order of checks and writes. The bindings'
 * reads and errors: cluster/sccBindings.ts; the create-or-append with retries:
 * clearml-node's `applySccRoleBinding`.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  isDns1123Label,
  resolveTenant,
  sccRoleName,
  Tenant,
} from '@clearml-openshift/plugin-clearml-common';
import {
  applySccRoleBinding,
  ClearmlCluster,
  KubernetesClientFactory,
  kubernetesClientFactory,
  sccGrantsForTenant,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './sccGrant.examples';
import { tenantInputSchema } from './tenantInput';
import { applyBindingError, readSccBindings } from './cluster/sccBindings';
import {
  allowedSccs,
  configuredCluster,
  tenantPreflight,
} from './cluster/tenantPreflight';
import { createTenantNamespaceOnce } from './cluster/tenantNamespaceCreate';

/**
 * The id of the action that applies a tenant's SCC grants (`createClearmlSccGrantAction`).
 *
 * @public
 */
export const SCC_GRANT_ACTION_ID = 'clearml:scc:grant';

/** Config key of the ServiceAccounts that may get an allowed SCC beyond the computed grants. */
export const ALLOWED_SERVICE_ACCOUNTS_KEY =
  'clearml.scc.allowedServiceAccounts';

interface GrantRequest {
  scc: string;
  serviceAccounts: string[];
  /** Index of the first grant of this SCC in the input, for error field names. */
  index: number;
}

export interface BindingResult {
  name: string;
  scc: string;
  added: string[];
}

type GrantInput = Array<{ scc: string; serviceAccount: string }>;

/**
 * The grants to apply: the ones the values renderer computes for the tenant,
 * or, when the template passes its own list, that list if every entry is one
 * of those (or names an allowed ServiceAccount). Refusals name the entry.
 */
function grantRequests(
  tenant: Tenant,
  asked: GrantInput | undefined,
  config: Config,
): GrantRequest[] {
  const computed = sccGrantsForTenant(tenant);
  const allowed = allowedSccs(config);
  const extraAccounts = (
    config.getOptionalStringArray(ALLOWED_SERVICE_ACCOUNTS_KEY) ?? []
  ).filter(sa => sa !== 'default');
  const grants = asked ?? computed;
  const computedText =
    computed.map(g => `${g.scc} -> ${g.serviceAccount}`).join(', ') || 'none';
  const requests: GrantRequest[] = [];
  grants.forEach((grant, i) => {
    if (!isDns1123Label(grant.serviceAccount)) {
      throw new InputError(
        `grants[${i}].serviceAccount: '${grant.serviceAccount}' is not a DNS-1123 label, so not a ServiceAccount name`,
      );
    }
    if (!allowed.includes(grant.scc)) {
      throw new InputError(
        `grants[${i}].scc: SCC '${grant.scc}' is not allowed on this Backstage; clearml.scc.allowed is [${allowed.join(', ')}]`,
      );
    }
    const isComputed = computed.some(
      g => g.scc === grant.scc && g.serviceAccount === grant.serviceAccount,
    );
    if (!isComputed && !extraAccounts.includes(grant.serviceAccount)) {
      throw new InputError(
        `grants[${i}]: ${grant.scc} for ServiceAccount '${grant.serviceAccount}' is not a grant tenant '${tenant.tenant}' needs ` +
          `(edition ${tenant.edition}, profile ${tenant.securityProfile}: ${computedText}) and '${grant.serviceAccount}' is not in ` +
          `${ALLOWED_SERVICE_ACCOUNTS_KEY}`,
      );
    }
    const request = requests.find(r => r.scc === grant.scc);
    if (!request)
      requests.push({
        scc: grant.scc,
        serviceAccounts: [grant.serviceAccount],
        index: i,
      });
    else if (!request.serviceAccounts.includes(grant.serviceAccount))
      request.serviceAccounts.push(grant.serviceAccount);
  });
  return requests;
}

/**
 * `clearml:scc:grant`: adds the tenant's ServiceAccounts to the RoleBindings `system:openshift:scc:<scc>` in its
 * namespace with the cluster's `grantToken`, only for SCCs `clearml.scc.allowed` permits and never for `default`.
 *
 * @public
 */
export function createClearmlSccGrantAction(options: {
  config: Config;
  /** Builds the Kubernetes clients of a cluster; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
}) {
  const clientFactory =
    options.kubernetesClientFactory ?? kubernetesClientFactory();

  return createTemplateAction({
    id: SCC_GRANT_ACTION_ID,
    description:
      'Grants a tenant the SecurityContextConstraints its rendered values need, the way `oc adm policy add-scc-to-user ' +
      "<scc> -z <sa> -n <ns>` does: per SCC a RoleBinding system:openshift:scc:<scc> in the tenant's namespace, subjects " +
      'appended, never removed. Only the grants the values renderer computes for the tenant (or allowed ServiceAccounts).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z => z.string().describe('Cluster name from clearml.clusters'),
        tenant: tenantInputSchema.tenant,
        namespace: tenantInputSchema.namespace,
        edition: tenantInputSchema.edition,
        releaseName: tenantInputSchema.releaseName,
        securityProfile: tenantInputSchema.securityProfile,
        agent: tenantInputSchema.agent,
        appGateway: tenantInputSchema.appGateway,
        elasticsearchSysctlInit: tenantInputSchema.elasticsearchSysctlInit,
        grants: z =>
          z
            .array(
              z.object({
                scc: z.string().describe('SCC name, e.g. anyuid or nonroot-v2'),
                serviceAccount: z
                  .string()
                  .describe('ServiceAccount name in the namespace'),
                reason: z
                  .string()
                  .optional()
                  .describe(
                    "Ignored; lets the values action's sccGrants output be passed as is",
                  ),
              }),
            )
            .optional()
            .describe(
              'Default: the grants the values renderer computes for the tenant. A list given here may hold only those ' +
                '(e.g. ${{ steps.values.output.sccGrants }}) or ServiceAccounts in clearml.scc.allowedServiceAccounts',
            ),
        createNamespace: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Create the tenant's namespace, labelled clear.ml/tenant=<tenant>, when it does not exist (default false)",
            ),
      },
      output: {
        bindings: z =>
          z
            .array(
              z.object({
                name: z
                  .string()
                  .describe('RoleBinding name, system:openshift:scc:<scc>'),
                scc: z.string(),
                added: z
                  .array(z.string())
                  .describe(
                    'ServiceAccounts added by this run (empty when already granted)',
                  ),
              }),
            )
            .describe('One entry per SCC'),
      },
    },
    async handler(ctx) {
      const createNamespace = ctx.input.createNamespace ?? false;
      // Input and config first: the tenant's grants are recomputed here, never taken on trust.
      const tenant = resolveTenant(ctx.input, { domain: 'ignored' });
      const namespace = tenant.namespace;
      const cluster: ClearmlCluster = configuredCluster(
        options.config,
        ctx.input.cluster,
        'cluster',
        'grant',
      );
      const requests = grantRequests(tenant, ctx.input.grants, options.config);
      if (requests.length === 0 && !createNamespace) {
        ctx.logger.info(
          `No SCC grants needed in namespace ${namespace} on cluster ${cluster.name}; nothing to do`,
        );
        ctx.output('bindings', []);
        return;
      }
      const dryRun = ctx.isDryRun ? 'All' : undefined;
      const where = `on cluster '${cluster.name}'`;

      // Then the cluster: the namespace is the tenant's and the credential may do every write below.
      const { clients, namespaceExists } = await tenantPreflight({
        config: options.config,
        clientFactory,
        tenant: tenant.tenant,
        cluster,
        namespace,
        fields: { namespace: 'namespace' },
        grants: { sccs: requests.map(r => r.scc), createNamespace },
      });
      if (!namespaceExists && !createNamespace) {
        throw new InputError(
          `namespace: namespace '${namespace}' does not exist ${where}; set createNamespace: true to create it, or create it first`,
        );
      }
      const at = { clients, cluster, namespace };
      const existing = await readSccBindings({
        ...at,
        namespaceExists,
        requests,
      });

      // Writes, each under a checkpoint so a retried task does not repeat a change it already made.
      const checkpointPrefix = `${SCC_GRANT_ACTION_ID}:${cluster.name}/${namespace}`;
      if (!namespaceExists) {
        await createTenantNamespaceOnce({
          ctx,
          createdBy: SCC_GRANT_ACTION_ID,
          checkpointPrefix,
          clients,
          cluster,
          namespace,
          tenant: tenant.tenant,
          dryRun,
        });
      }

      async function grant(request: GrantRequest): Promise<string[]> {
        const name = sccRoleName(request.scc);
        try {
          const { added, checkedByServer } = await applySccRoleBinding({
            rbac: clients.rbac,
            scc: request.scc,
            namespace,
            serviceAccounts: request.serviceAccounts,
            binding: existing.get(request.scc),
            dryRun,
            namespacePending: !namespaceExists,
          });
          if (!checkedByServer) {
            ctx.logger.info(
              `Dry run: RoleBinding ${name} cannot be checked by the server before namespace ${namespace} exists`,
            );
          }
          return added;
        } catch (error) {
          throw applyBindingError(at, request, error);
        }
      }

      const bindings: BindingResult[] = [];
      for (const request of requests) {
        const name = sccRoleName(request.scc);
        const added = await ctx.checkpoint({
          key: `${checkpointPrefix}:${request.scc}`,
          fn: () => grant(request),
        });
        const kept = (existing.get(request.scc)?.subjects ?? []).length;
        const keptNote = kept ? ` (kept its ${kept} existing subjects)` : '';
        ctx.logger.info(
          added.length
            ? `${dryRun ? 'Dry run: would add' : 'Added'} ${added.join(', ')} to RoleBinding ${name} in ${namespace} ${where}${keptNote}`
            : `RoleBinding ${name} in ${namespace} already grants ${request.scc} to ${request.serviceAccounts.join(', ')}`,
        );
        bindings.push({ name, scc: request.scc, added });
      }
      ctx.output('bindings', bindings);
    },
  });
}
