/**
 * `clearml:fleet:upgrade`: opens chart upgrade pull requests, one per tenant, in batches. Each re-renders the tenant's
 * directory from its settings record with the chart versions the platform configured (`clearml.charts`) and carries
 * the values-key differences between the old and new chart versions. Only the platform group may run it
 * (day2/platformRunner.ts). Every tenant of the batch is planned (read and checked) before the first write; when the
 * platform named the tenants, one refusal refuses the run and nothing is written.
 */
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  day2ActionDependencies,
  Day2ActionOptions,
} from './day2/day2ActionOptions';
import { repoPickerUrl } from '@clearml-openshift/plugin-clearml-common';
import {
  githubWriterOf,
  helmRepositoryClient,
  HelmRepositoryClient,
  readChartsSettings,
  readClearmlClusters,
  resolveGitopsTarget,
} from '@clearml-openshift/plugin-clearml-node';
import { examples } from './fleetUpgrade.examples';
import { checkPlatformRunner, readPlatformGroup } from './day2/platformRunner';
import { upgradeCandidates } from './day2/upgradeTenants';
import { upgradeRun } from './day2/upgradePlan';
import { planBatch, publishUpgrade, runSummary } from './day2/upgradeBatch';

/**
 * The id of the action that opens the fleet's chart upgrade pull requests.
 *
 * @public
 */
export const FLEET_UPGRADE_ACTION_ID = 'clearml:fleet:upgrade';

/** Pull requests one run may open at most. */
export const MAX_BATCH_SIZE = 50;
const DEFAULT_BATCH_SIZE = 10;

/**
 * Options of `createClearmlFleetUpgradeAction`.
 *
 * @public
 */
export interface ClearmlFleetUpgradeActionOptions extends Day2ActionOptions {
  /** Reads packaged charts for the values differences; default: HTTP with the global fetch. */
  helmRepositoryClient?: HelmRepositoryClient;
}

function batchSizeOf(value: unknown): number {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_BATCH_SIZE
  )
    throw new InputError(
      `batchSize: must be a whole number from 1 to ${MAX_BATCH_SIZE} (got ${JSON.stringify(value)})`,
    );
  return value;
}

/**
 * `clearml:fleet:upgrade`: chart upgrade pull requests for the tenants whose files pin other chart versions than
 * `clearml.charts`.
 *
 * @public
 */
export function createClearmlFleetUpgradeAction(
  options: ClearmlFleetUpgradeActionOptions,
) {
  const { integrations, config, tenantCatalog } = options;
  const { clientFactory, credentialsProvider, kubeClientFactory } =
    day2ActionDependencies(options);
  const helm = options.helmRepositoryClient ?? helmRepositoryClient();
  const { leases, localTargets } = day2ActionDependencies(options);
  const platformGroup = readPlatformGroup(config);

  return createTemplateAction({
    id: FLEET_UPGRADE_ACTION_ID,
    description:
      "Opens chart upgrade pull requests (branch clearml-upgrade/<tenant>), one per tenant, re-rendering each tenant's " +
      'files with the chart versions of clearml.charts and listing the values-key differences between the versions. ' +
      'A tenant is refused when a new chart refuses its cluster or another of its pull requests is open. Platform group only.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenants: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Tenant entities (resource:default/<tenant>); empty or absent: every tenant whose chart versions differ from clearml.charts',
            ),
        batchSize: z =>
          z
            .number()
            .optional()
            .describe(
              `How many pull requests this run opens (1–${MAX_BATCH_SIZE}, default ${DEFAULT_BATCH_SIZE}); a later run continues with the next tenants`,
            ),
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Only say what would be opened, and why tenants are skipped or refused',
            ),
        token: z =>
          z
            .string()
            .optional()
            .describe(
              'GitHub token to use instead of the integration credentials',
            ),
      },
      output: {
        pullRequests: z =>
          z
            .array(
              z.object({
                entityRef: z.string(),
                url: z.string(),
                branchName: z.string(),
                charts: z.string(),
              }),
            )
            .describe(
              'The upgrade pull requests opened (dry run: that would be opened)',
            ),
        skipped: z =>
          z
            .array(z.object({ entityRef: z.string(), reason: z.string() }))
            .describe('Tenants left alone, with why'),
        refused: z =>
          z
            .array(z.object({ entityRef: z.string(), reason: z.string() }))
            .describe('Tenants refused, with why (nothing written for them)'),
        remaining: z =>
          z
            .number()
            .describe(
              'Tenants not looked at because the batch was full: run again for them',
            ),
        summary: z =>
          z.string().describe('All of it as Markdown, for the task page'),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const batchSize = batchSizeOf(input.batchSize);
      if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean')
        throw new InputError('dryRun: must be true or false');
      await checkPlatformRunner({
        access: tenantCatalog,
        platformGroup,
        user: ctx.user,
        initiator: () => ctx.getInitiatorCredentials(),
      });
      const candidates = await upgradeCandidates(tenantCatalog, input.tenants);
      const run = upgradeRun({
        config,
        charts: readChartsSettings(config),
        clusters: readClearmlClusters(config),
        kubeClientFactory,
        helm,
        requestedBy: ctx.user?.ref,
        targetOf: tenant =>
          resolveGitopsTarget(repoPickerUrl(tenant.anchor.repository), {
            integrations,
            localTargets,
            githubWriter: githubWriterOf({
              clientFactory,
              integrations,
              credentialsProvider,
              token: input.token,
            }),
          }),
      });
      // Every read and check of the batch, before the first write.
      const batch = await planBatch(run, candidates, batchSize, ctx.logger);
      const dryRun = ctx.isDryRun || input.dryRun === true;
      const pullRequests = [];
      for (const plan of batch.upgrades) {
        if (dryRun) {
          ctx.logger.info(
            `Dry run: would open "${plan.title}" from ${plan.branchName}:\n\n${plan.description}`,
          );
          pullRequests.push({
            ...plan.output,
            url: plan.target.dryRun(plan.branchName).remoteUrl,
          });
          continue;
        }
        const published = await ctx.checkpoint({
          key: `clearml.fleet.upgrade.${plan.target.host}/${plan.target.owner}/${plan.target.repo}.${plan.branchName}`,
          fn: () =>
            publishUpgrade(plan, leases, ctx.task?.id ?? 'unknown-task', m =>
              ctx.logger.info(m),
            ),
        });
        if ('skipped' in published)
          batch.skipped.push({
            entityRef: plan.tenant.entityRef,
            reason: published.skipped,
          });
        else pullRequests.push({ ...plan.output, url: published.url });
      }
      ctx.output('pullRequests', pullRequests);
      ctx.output('skipped', batch.skipped);
      ctx.output('refused', batch.refused);
      ctx.output('remaining', batch.remaining);
      ctx.output('summary', runSummary({ pullRequests, ...batch, dryRun }));
    },
  });
}
