/**
 * `clearml:tenant:change`: opens the pull request that changes a running tenant. It starts from the tenant's
 * settings record on the default branch of its GitOps repository, applies what the form changes (agent, queue, size
 * tier, exposure, security profile, app gateway, description), re-renders the tenant's directory with the creation's
 * renderers and the chart versions the tenant runs, and replaces exactly that directory on branch
 * `clearml-change/<tenant>`; the description shows the effective change. The tenant, its repository, cluster and
 * namespace come from its catalog entity, never from a form field; only its owner or the platform team may change
 * it; what cannot change in place (name, release, namespace, edition, cluster, domain) is refused with the reason.
 * Every check runs before the first write.
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  day2ActionDependencies,
  Day2ActionOptions,
} from './day2/day2ActionOptions';
import {
  repoPickerUrl,
  tenantChangeBranchName,
  tenantDirectory,
} from '@clearml-openshift/plugin-clearml-common';
import {
  githubWriterOf,
  GitopsPublishResult,
  readChartsSettings,
  resolveGitopsTarget,
  summarizeEffectiveChange,
} from '@clearml-openshift/plugin-clearml-node';
import { examples } from './tenantChange.examples';
import { configuredCluster, tenantPreflight } from './cluster/tenantPreflight';
import { tenantOfEntity } from './day2/tenantOfEntity';
import { checkTenantManager } from './day2/tenantManager';
import { day2Reason } from './day2/reason';
import { readChangeStart } from './day2/changeState';
import { applyTenantChange } from './day2/changeSettings';
import { renderChangedDirectory } from './day2/changeRender';
import { changeContent, tenantChangeOf } from './day2/changeText';
import { tenantChangeSchema } from './day2/changeSchema';
import { refuseOtherOpenChangesUnderLease } from './day2/openTenantChanges';

/**
 * The id of the action that opens a tenant's change pull request (`createClearmlTenantChangeAction`).
 *
 * @public
 */
export const TENANT_CHANGE_ACTION_ID = 'clearml:tenant:change';

/**
 * Options of `createClearmlTenantChangeAction`.
 *
 * @public
 */
export type ClearmlTenantChangeActionOptions = Day2ActionOptions;

/**
 * `clearml:tenant:change`: the pull request that changes a tenant's settings, with its effective change.
 *
 * @public
 */
export function createClearmlTenantChangeAction(
  options: ClearmlTenantChangeActionOptions,
) {
  const { integrations, config, tenantCatalog } = options;
  const {
    clientFactory,
    credentialsProvider,
    kubeClientFactory,
    leases,
    localTargets,
  } = day2ActionDependencies(options);
  const charts = readChartsSettings(config);

  return createTemplateAction({
    id: TENANT_CHANGE_ACTION_ID,
    description:
      'Opens the pull request that changes a ClearML tenant: re-renders its directory from its settings record with the changed agent, queue, tier, exposure, security profile, app gateway or description (empty keeps a setting), on branch clearml-change/<tenant>, with the effective change in the description. Only the owner or the platform team; the release name, namespace, edition, tenant name, cluster and domain cannot change in place.',
    examples,
    supportsDryRun: true,
    schema: tenantChangeSchema(),
    async handler(ctx) {
      const input = ctx.input;
      // Every rule is checked here, before the first write (the scaffolder only validated the JSON schema).
      const reason = day2Reason(input.reason);
      const tenant = await tenantOfEntity(tenantCatalog, input.entityRef);
      await checkTenantManager(
        tenantCatalog,
        tenant,
        ctx.user,
        () => ctx.getInitiatorCredentials(),
        'change',
      );
      const directoryPath = tenantDirectory(tenant.tenant);
      const branchName = tenantChangeBranchName(tenant.tenant);
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
      const start = await readChangeStart(target, tenant);
      const { next, changed } = applyTenantChange(
        start.base,
        input,
        start.settings,
      );

      // The cluster answers and the namespace is the tenant's; then the charts against its Kubernetes version.
      const cluster = configuredCluster(
        config,
        tenant.cluster,
        'entityRef',
        'read',
      );
      await tenantPreflight({
        config,
        clientFactory: kubeClientFactory,
        tenant: tenant.tenant,
        cluster,
        namespace: tenant.namespace,
        fields: { namespace: 'entityRef' },
      });
      const directory = await renderChangedDirectory({
        config,
        current: start.settings,
        next,
        currentFiles: start.files,
        directory: directoryPath,
        charts,
        cluster,
        clientFactory: kubeClientFactory,
        gitopsBranch: tenant.branch,
      });
      const content = changeContent({
        config,
        tenant,
        current: start.settings,
        next,
        changed,
        currentFiles: start.files,
        directory,
        directoryPath,
        defaultBranch: start.defaultBranch,
        ...(ctx.user?.ref ? { requestedBy: ctx.user.ref } : {}),
        ...(reason ? { reason } : {}),
      });
      const summary = summarizeEffectiveChange(content.change);
      const outputs = (remoteUrl: string) => {
        ctx.output('remoteUrl', remoteUrl);
        ctx.output('branchName', branchName);
        ctx.output('tenant', tenant.tenant);
        ctx.output('changedSettings', changed);
        ctx.output('effectiveChange', summary);
        ctx.output('files', content.change.files);
        ctx.output('catalogInfoChanged', directory.catalogInfoChanged);
      };

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${start.openChange ? 'update' : 'push'} branch ${branchName} of ${where} with ` +
            `${directoryPath}/ re-rendered (${summary.join('; ')})`,
        );
        ctx.logger.info(
          `Pull request "${content.title}":\n\n${content.description}`,
        );
        outputs(target.dryRun(branchName).remoteUrl);
        return;
      }

      const log = (message: string) => ctx.logger.info(message);
      if (start.openChange) {
        log(
          `${start.openChange.open}: this run adds its changes to it (the pull request is updated; compared with ${start.defaultBranch})`,
        );
      }
      const result = await ctx.checkpoint({
        key: `clearml.tenant.change.${where}.${branchName}`,
        fn: async () => {
          const release = await leases.acquire(
            tenant.tenant,
            ctx.task?.id ?? 'unknown-task',
          );
          try {
            await refuseOtherOpenChangesUnderLease(target, tenant, 'change');
            const published: GitopsPublishResult = await target.publish(
              tenantChangeOf({
                target,
                branchName,
                directoryPath,
                files: directory.files,
                content,
              }),
              log,
            );
            // Checkpoint values are JSON: drop undefined fields.
            return JSON.parse(JSON.stringify(published)) as GitopsPublishResult;
          } finally {
            await release();
          }
        },
      });
      log(`Effective change: ${summary.join('; ')}`);
      outputs(result.remoteUrl);
      if (result.pullRequestNumber !== undefined)
        ctx.output('pullRequestNumber', result.pullRequestNumber);
    },
  });
}
