/**
 * `clearml:scc:grant`: what `oc adm policy add-scc-to-user <scc> -z <sa> -n <ns>`
 * does, through the Kubernetes API, for exactly the grants the values renderer
 * computed. Everything is checked (input, config, then the cluster's current
 * state) before the first write, so a refusal changes nothing.
 */
import type { Config } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  DEFAULT_ALLOWED_SCCS,
  isDns1123Label,
  isProtectedNamespace,
  PROTECTED_NAMESPACE_RULE,
  sccRoleName,
} from '@clearml-openshift/plugin-clearml-common';
import {
  bindsSccRole,
  ClearmlCluster,
  describeKubernetesError,
  findClearmlCluster,
  KubernetesClientFactory,
  KubernetesClients,
  kubernetesClientFactory,
  missingServiceAccounts,
  readClearmlClusters,
  sccRoleBinding,
  sccServiceAccountSubject,
} from '@clearml-openshift/plugin-clearml-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { setHeaderOptions, V1RoleBinding } from '@kubernetes/client-node';
import { examples } from './sccGrant.examples';

export const SCC_GRANT_ACTION_ID = 'clearml:scc:grant';

/** Labels and annotation on a namespace this action creates, so an operator sees who made it. */
export const CREATED_NAMESPACE_LABELS = { 'app.kubernetes.io/managed-by': 'backstage' };
export const CREATED_NAMESPACE_ANNOTATIONS = { 'backstage.io/created-by': SCC_GRANT_ACTION_ID };

const MAX_CONFLICT_RETRIES = 3;
const DOCS = 'docs/scc-grant.md';

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

function allowedSccs(config: Config): string[] {
  return config.getOptionalStringArray('clearml.scc.allowed') ?? [...DEFAULT_ALLOWED_SCCS];
}

/** Input and config rules, all checked before any request is sent. */
function validate(
  input: { cluster: string; namespace: string; grants: Array<{ scc: string; serviceAccount: string }> },
  clusters: ClearmlCluster[],
  allowed: string[],
): { cluster: ClearmlCluster; requests: GrantRequest[] } {
  const cluster = findClearmlCluster(clusters, input.cluster);
  if (!cluster) {
    const known = clusters.map(c => c.name).join(', ') || 'none';
    throw new InputError(`cluster: unknown cluster '${input.cluster}'; configured clusters: ${known}`);
  }
  if (!cluster.grantToken) {
    throw new InputError(
      `cluster: cluster '${cluster.name}' has no grant credential; add grantToken to its entry in clearml.clusters ` +
        `(a token of a ServiceAccount bound to the ClusterRole in ${DOCS})`,
    );
  }
  if (!isDns1123Label(input.namespace)) {
    throw new InputError(`namespace: '${input.namespace}' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)`);
  }
  if (isProtectedNamespace(input.namespace)) {
    throw new InputError(`namespace: '${input.namespace}' ${PROTECTED_NAMESPACE_RULE}; SCC grants there are refused`);
  }
  const requests: GrantRequest[] = [];
  input.grants.forEach((grant, i) => {
    if (!allowed.includes(grant.scc)) {
      throw new InputError(
        `grants[${i}].scc: SCC '${grant.scc}' is not allowed on this Backstage; clearml.scc.allowed is [${allowed.join(', ')}]`,
      );
    }
    if (!isDns1123Label(grant.serviceAccount)) {
      throw new InputError(`grants[${i}].serviceAccount: '${grant.serviceAccount}' is not a DNS-1123 label, so not a ServiceAccount name`);
    }
    const request = requests.find(r => r.scc === grant.scc);
    if (!request) requests.push({ scc: grant.scc, serviceAccounts: [grant.serviceAccount], index: i });
    else if (!request.serviceAccounts.includes(grant.serviceAccount)) request.serviceAccounts.push(grant.serviceAccount);
  });
  return { cluster, requests };
}

/** Turns a failed API call into an error that says what was refused and what the credential needs. */
function apiError(error: unknown, cluster: ClearmlCluster, clients: KubernetesClients, what: string, needs: string): Error {
  const failure = describeKubernetesError(error, cluster, { timeoutMs: clients.timeoutMs });
  const text = `${what} failed: ${failure.message}`;
  if (failure.httpStatus === 403) {
    return new NotAllowedError(`${text}. The grant credential of cluster '${cluster.name}' needs ${needs} (ClusterRole in ${DOCS})`);
  }
  if (failure.httpStatus === 409) return new ConflictError(text);
  return new Error(text);
}

function statusCode(error: unknown): number | undefined {
  const e = error as any;
  return typeof e?.code === 'number' && 'body' in e ? e.code : undefined;
}

export function createClearmlSccGrantAction(options: {
  config: Config;
  /** Builds the Kubernetes clients of a cluster; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
}) {
  const clientFactory = options.kubernetesClientFactory ?? kubernetesClientFactory();

  return createTemplateAction({
    id: SCC_GRANT_ACTION_ID,
    description:
      'Grants SecurityContextConstraints to ServiceAccounts the way `oc adm policy add-scc-to-user <scc> -z <sa> -n <ns>` ' +
      'does: per SCC a RoleBinding system:openshift:scc:<scc> in the namespace, subjects appended, never removed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z => z.string().describe('Cluster name from clearml.clusters'),
        namespace: z => z.string().describe('Namespace the ServiceAccounts live in'),
        grants: z =>
          z
            .array(
              z.object({
                scc: z.string().describe('SCC name, e.g. anyuid or nonroot-v2'),
                serviceAccount: z.string().describe('ServiceAccount name in the namespace'),
                reason: z.string().optional().describe('Ignored; lets the values action\'s sccGrants output be passed as is'),
              }),
            )
            .describe('The grants, e.g. ${{ steps.values.output.sccGrants }}'),
        createNamespace: z =>
          z.boolean().optional().describe('Create the namespace when it does not exist (default false)'),
      },
      output: {
        bindings: z =>
          z
            .array(
              z.object({
                name: z.string().describe('RoleBinding name, system:openshift:scc:<scc>'),
                scc: z.string(),
                added: z.array(z.string()).describe('ServiceAccounts added by this run (empty when already granted)'),
              }),
            )
            .describe('One entry per SCC'),
      },
    },
    async handler(ctx) {
      const createNamespace = ctx.input.createNamespace ?? false;
      const namespace = ctx.input.namespace;
      const { cluster, requests } = validate(
        { cluster: ctx.input.cluster, namespace, grants: ctx.input.grants ?? [] },
        readClearmlClusters(options.config),
        allowedSccs(options.config),
      );
      if (requests.length === 0 && !createNamespace) {
        ctx.logger.info(`No SCC grants asked for namespace ${namespace} on cluster ${cluster.name}; nothing to do`);
        ctx.output('bindings', []);
        return;
      }
      const clients = clientFactory(cluster, 'grant');
      const dryRun = ctx.isDryRun ? 'All' : undefined;
      const where = `on cluster '${cluster.name}'`;

      // Read everything first: a refusal found here leaves the cluster untouched.
      let namespaceExists = true;
      try {
        await clients.core.readNamespace({ name: namespace });
      } catch (error) {
        if (statusCode(error) !== 404) {
          throw apiError(error, cluster, clients, `Reading namespace ${namespace}`, `get on namespaces`);
        }
        namespaceExists = false;
      }
      if (!namespaceExists && !createNamespace) {
        throw new InputError(
          `namespace: namespace '${namespace}' does not exist ${where}; set createNamespace: true to create it, or create it first`,
        );
      }
      const existing = new Map<string, V1RoleBinding | undefined>();
      for (const request of requests) {
        const role = sccRoleName(request.scc);
        try {
          await clients.rbac.readClusterRole({ name: role });
        } catch (error) {
          if (statusCode(error) === 404) {
            throw new InputError(
              `grants[${request.index}].scc: ClusterRole '${role}' does not exist ${where}, so a binding to it would grant nothing; ` +
                `OpenShift ships it for its default SCCs, a custom SCC needs one (see ${DOCS})`,
            );
          }
          throw apiError(error, cluster, clients, `Reading ClusterRole ${role}`, `get on clusterroles named ${role}`);
        }
        existing.set(request.scc, namespaceExists ? await readBinding(request.scc) : undefined);
        const binding = existing.get(request.scc);
        if (binding && !bindsSccRole(binding, request.scc)) {
          const ref = binding.roleRef;
          throw new InputError(
            `grants[${request.index}].scc: RoleBinding '${role}' in namespace ${namespace} ${where} binds ${ref?.kind} '${ref?.name}', ` +
              `not ClusterRole '${role}'; it was not made by oc or this action and is left alone`,
          );
        }
      }

      async function readBinding(scc: string): Promise<V1RoleBinding | undefined> {
        try {
          return await clients.rbac.readNamespacedRoleBinding({ name: sccRoleName(scc), namespace });
        } catch (error) {
          if (statusCode(error) === 404) return undefined;
          throw apiError(error, cluster, clients, `Reading RoleBinding ${sccRoleName(scc)} in ${namespace}`, `get on rolebindings in ${namespace}`);
        }
      }

      // Writes, each under a checkpoint so a retried task does not repeat a change it already made.
      const checkpointPrefix = `${SCC_GRANT_ACTION_ID}:${cluster.name}/${namespace}`;
      if (!namespaceExists) {
        await ctx.checkpoint({
          key: `${checkpointPrefix}:namespace`,
          fn: async () => {
            try {
              await clients.core.createNamespace({
                body: {
                  metadata: { name: namespace, labels: CREATED_NAMESPACE_LABELS, annotations: CREATED_NAMESPACE_ANNOTATIONS },
                },
                dryRun,
              });
            } catch (error) {
              if (statusCode(error) !== 409) {
                throw apiError(error, cluster, clients, `Creating namespace ${namespace}`, 'create on namespaces');
              }
            }
            ctx.logger.info(`${dryRun ? 'Dry run: would create' : 'Created'} namespace ${namespace} ${where}`);
          },
        });
      }

      async function grant(request: GrantRequest): Promise<string[]> {
        const name = sccRoleName(request.scc);
        const needs = `create, get and patch on rolebindings in ${namespace} and bind on clusterroles named ${name}`;
        let binding = existing.get(request.scc);
        for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
          const missing = missingServiceAccounts(binding, namespace, request.serviceAccounts);
          if (missing.length === 0) return [];
          try {
            if (!binding) {
              await clients.rbac.createNamespacedRoleBinding({ namespace, body: sccRoleBinding(request.scc, namespace, missing), dryRun });
            } else {
              // Append only; the resourceVersion makes the server refuse (409) if someone changed the binding since we read it.
              const subjects = missing.map(sa => sccServiceAccountSubject(sa, namespace));
              const ops = binding.subjects?.length
                ? subjects.map(value => ({ op: 'add', path: '/subjects/-', value }))
                : [{ op: 'add', path: '/subjects', value: subjects }];
              await clients.rbac.patchNamespacedRoleBinding(
                {
                  name,
                  namespace,
                  body: [{ op: 'replace', path: '/metadata/resourceVersion', value: binding.metadata?.resourceVersion }, ...ops],
                  dryRun,
                },
                setHeaderOptions('Content-Type', 'application/json-patch+json'),
              );
            }
            return missing;
          } catch (error) {
            const code = statusCode(error);
            // Dry run of a binding in a namespace that is only dry-run created: the server cannot check it.
            if (dryRun && !namespaceExists && code === 404) {
              ctx.logger.info(`Dry run: RoleBinding ${name} cannot be checked by the server before namespace ${namespace} exists`);
              return missing;
            }
            if (code !== 409 || attempt === MAX_CONFLICT_RETRIES - 1) {
              throw apiError(error, cluster, clients, `${binding ? 'Patching' : 'Creating'} RoleBinding ${name} in ${namespace}`, needs);
            }
            binding = await readBinding(request.scc); // changed or created meanwhile: read again and retry
            if (binding && !bindsSccRole(binding, request.scc)) {
              throw new InputError(`grants[${request.index}].scc: RoleBinding '${name}' in ${namespace} now binds another role; left alone`);
            }
          }
        }
        return [];
      }

      const bindings: BindingResult[] = [];
      for (const request of requests) {
        const name = sccRoleName(request.scc);
        const added = await ctx.checkpoint({ key: `${checkpointPrefix}:${request.scc}`, fn: () => grant(request) });
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
