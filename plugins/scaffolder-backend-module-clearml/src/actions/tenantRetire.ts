/**
 * `clearml:tenant:retire`: opens the pull request that removes a tenant's directory from the GitOps repository.
 * Merged, the root Application prunes the tenant's Applications and their finalizer deletes what they deployed;
 * the data policy (`keep` by default) is applied on the cluster first, so the namespace and its claims survive the
 * deletion. The tenant, its repository, cluster and namespace come from its catalog entity, never from a form
 * field; only its owner or whoever the platform's policy allows may retire it; a tenant with an open change is
 * refused. Every check runs before the first write.
 */
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  day2ActionDependencies,
  Day2ActionOptions,
} from './day2/day2ActionOptions';
import {
  repoPickerUrl,
  TENANT_DATA_POLICIES,
  tenantDirectory,
  tenantRetireBranchName,
} from '@clearml-openshift/plugin-clearml-common';
import {
  readArgocdSettings,
  githubWriterOf,
  GitopsPublishResult,
  resolveGitopsTarget,
} from '@clearml-openshift/plugin-clearml-node';
import { examples } from './tenantRetire.examples';
import { tenantOfEntity } from './day2/tenantOfEntity';
import { refuseOtherOpenChangesUnderLease } from './day2/openTenantChanges';
import { checkTenantManager } from './day2/tenantManager';
import { applyKeepData, tenantClaims } from './day2/keepData';
import {
  retireClusterAccess,
  retireDataPolicy,
  retiredFiles,
} from './day2/retirePolicy';
import {
  KeptClaim,
  retireChange,
  retiredContent,
  retireText,
} from './day2/retireChange';

/**
 * The id of the action that opens a tenant's retire pull request (`createClearmlTenantRetireAction`).
 *
 * @public
 */
export const TENANT_RETIRE_ACTION_ID = 'clearml:tenant:retire';

/**
 * Options of `createClearmlTenantRetireAction`.
 *
 * @public
 */
export type ClearmlTenantRetireActionOptions = Day2ActionOptions;

/**
 * `clearml:tenant:retire`: the pull request that removes a tenant's directory, with its data policy applied.
 *
 * @public
 */
export function createClearmlTenantRetireAction(
  options: ClearmlTenantRetireActionOptions,
) {
  const { integrations, config, tenantCatalog } = options;
  const {
    clientFactory,
    credentialsProvider,
    kubeClientFactory,
    leases,
    localTargets,
  } = day2ActionDependencies(options);
  const argocdNamespace = readArgocdSettings(config).namespace;

  return createTemplateAction({
    id: TENANT_RETIRE_ACTION_ID,
    description:
      'Opens the pull request that retires a ClearML tenant: removes its directory from the GitOps repository ' +
      '(Argo CD prunes its Applications, whose finalizer deletes the releases), after applying the data policy ' +
      '(keep: the namespace and its claims stay). Only the owner or the platform team; refused while a change of ' +
      'the tenant is open.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe("The tenant's catalog entity, resource:default/<tenant>"),
        confirm: z =>
          z
            .string()
            .describe(
              'The tenant name again, typed by the user: a retire is not undone by a click',
            ),
        dataPolicy: z =>
          z
            .enum(TENANT_DATA_POLICIES)
            .optional()
            .describe(
              'keep (default): the namespace and its claims stay; delete: they go with the tenant',
            ),
        reason: z =>
          z
            .string()
            .optional()
            .describe('Why, for the reviewer (shown in the pull request)'),
        token: z =>
          z
            .string()
            .optional()
            .describe(
              'GitHub token to use instead of the integration credentials',
            ),
      },
      output: {
        remoteUrl: z =>
          z
            .string()
            .describe(
              'URL of the retire pull request (local target: git://…#<branch>)',
            ),
        pullRequestNumber: z =>
          z
            .number()
            .optional()
            .describe('Number of the pull request (GitHub only)'),
        branchName: z =>
          z
            .string()
            .describe(
              'Branch of the retire pull request, clearml-retire/<tenant>',
            ),
        removedFiles: z =>
          z
            .array(z.string())
            .describe('Repository paths the pull request removes'),
        keptClaims: z =>
          z
            .array(z.string())
            .describe(
              'Claims marked to be kept (keep policy); empty with delete',
            ),
        tenant: z => z.string().describe('The tenant retired'),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      // Every rule is checked here, before the first write (the scaffolder only validated the JSON schema).
      const dataPolicy = retireDataPolicy(input);
      const tenant = await tenantOfEntity(tenantCatalog, input.entityRef);
      if (input.confirm !== tenant.tenant) {
        throw new InputError(
          `confirm: type the tenant's name, ${tenant.tenant}, to retire it (got ${JSON.stringify(input.confirm)})`,
        );
      }
      await checkTenantManager(
        tenantCatalog,
        tenant,
        ctx.user,
        () => ctx.getInitiatorCredentials(),
        'retire',
      );

      const targetPath = tenantDirectory(tenant.tenant);
      const branchName = tenantRetireBranchName(tenant.tenant);
      const target = resolveGitopsTarget(
        repoPickerUrl(tenant.anchor.repository),
        {
          integrations,
          localTargets,
          githubWriter: githubWriterOf({
            clientFactory,
            integrations,
            credentialsProvider,
            token: input.token,
          }),
        },
      );
      const where = `${target.host}/${target.owner}/${target.repo}`;
      const current = await retiredFiles(target, tenant, targetPath);

      // The cluster: the namespace must be the tenant's; with keep, the grant credential must be able to mark it.
      const { cluster, clients, keepData } = await retireClusterAccess({
        config,
        clientFactory: kubeClientFactory,
        tenant,
        dataPolicy,
      });

      const { removedFiles, deployment } = retiredContent(current, targetPath);
      const requestedBy = ctx.user?.ref;
      const { title, describe } = retireText({
        tenant: tenant.tenant,
        entityRef: tenant.entityRef,
        cluster: cluster.name,
        namespace: tenant.namespace,
        targetPath,
        deployment,
        removedFiles,
        dataPolicy,
        argocdNamespace,
        ...(requestedBy ? { requestedBy } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      });

      if (ctx.isDryRun) {
        const claims = keepData
          ? await tenantClaims(clients, cluster, tenant.namespace)
          : [];
        ctx.logger.info(
          `Dry run: would ${dataPolicy === 'keep' ? `mark namespace ${tenant.namespace} and ${claims.length} claim(s) to be kept, then ` : ''}` +
            `push branch ${branchName} to ${where} removing ${removedFiles.length} files in ${targetPath}/`,
        );
        ctx.logger.info(`Pull request "${title}":\n\n${describe(claims)}`);
        ctx.output('remoteUrl', target.dryRun(branchName).remoteUrl);
        ctx.output('branchName', branchName);
        ctx.output('removedFiles', removedFiles);
        ctx.output(
          'keptClaims',
          claims.map(c => c.name),
        );
        ctx.output('tenant', tenant.tenant);
        return;
      }

      const log = (message: string) => ctx.logger.info(message);
      const result = await ctx.checkpoint({
        key: `clearml.tenant.retire.${where}.${branchName}`,
        fn: async () => {
          const release = await leases.acquire(
            tenant.tenant,
            ctx.task?.id ?? 'unknown-task',
          );
          try {
            await refuseOtherOpenChangesUnderLease(target, tenant, 'retire');
            // The data policy first: a retire pull request must never be mergeable before the data it keeps is marked.
            const keptClaims: KeptClaim[] = [];
            if (keepData) {
              await applyKeepData(clients, cluster, tenant.namespace, log);
              keptClaims.push(
                ...(await tenantClaims(clients, cluster, tenant.namespace)),
              );
            }
            const change = retireChange({
              target,
              branchName,
              targetPath,
              title,
              description: () => describe(keptClaims),
            });
            const published: GitopsPublishResult = await target.publish(
              change,
              log,
            );
            return JSON.parse(
              JSON.stringify({
                ...published,
                keptClaims: keptClaims.map(c => c.name),
              }),
            ) as GitopsPublishResult & { keptClaims: string[] };
          } finally {
            await release();
          }
        },
      });
      ctx.output('remoteUrl', result.remoteUrl);
      if (result.pullRequestNumber !== undefined)
        ctx.output('pullRequestNumber', result.pullRequestNumber);
      ctx.output('branchName', branchName);
      ctx.output('removedFiles', removedFiles);
      ctx.output('keptClaims', result.keptClaims ?? []);
      ctx.output('tenant', tenant.tenant);
    },
  });
}
