/**
 * A run of the fleet upgrade: the batch planned before the first write, each upgrade published under the tenant's
 * lease, and the summary the task page shows.
 *
 * The batch rule: tenants are looked at in entity-reference order until `batchSize` upgrades are planned. Tenants
 * that are up to date or whose upgrade pull request is still open are skipped and do not count, so a later run
 * continues with the next ones. A refused tenant (a new chart refuses its cluster, another of its pull requests is
 * open, its settings record is missing or invalid) is never written. When the platform named the tenants, any refusal
 * refuses the whole run before the first write (all or nothing: they asked for exactly these); in fleet mode the
 * refused tenants are reported and the others proceed, unless nothing is left to open.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { GitopsChange } from '@clearml-openshift/plugin-clearml-node';
import { markdownText as text } from '@clearml-openshift/plugin-clearml-node';
import { TenantLeases } from '../gitops/tenantLease';
import { openTenantChanges } from './openTenantChanges';
import { UpgradePlan, UpgradeRun, planTenantUpgrade } from './upgradePlan';
import { UpgradeCandidates, UpgradeSkip } from './upgradeTenants';

export type PlannedUpgrade = Extract<UpgradePlan, { kind: 'upgrade' }> & {
  output: { entityRef: string; branchName: string; charts: string };
};

export interface PlannedBatch {
  upgrades: PlannedUpgrade[];
  skipped: UpgradeSkip[];
  refused: UpgradeSkip[];
  remaining: number;
}

export async function planBatch(
  run: UpgradeRun,
  candidates: UpgradeCandidates,
  batchSize: number,
  logger: Pick<LoggerService, 'info'>,
): Promise<PlannedBatch> {
  const batch: PlannedBatch = {
    upgrades: [],
    skipped: [...candidates.skipped],
    refused: [],
    remaining: 0,
  };
  for (const [i, tenant] of candidates.tenants.entries()) {
    if (batch.upgrades.length === batchSize) {
      batch.remaining = candidates.tenants.length - i;
      break;
    }
    const plan = await planTenantUpgrade(run, tenant);
    if (plan.kind === 'upgrade') {
      const charts = plan.moves
        .map(m => `${m.chart} ${m.from} → ${m.to}`)
        .join(', ');
      logger.info(`${tenant.entityRef}: ${charts}`);
      batch.upgrades.push({
        ...plan,
        output: {
          entityRef: tenant.entityRef,
          branchName: plan.branchName,
          charts,
        },
      });
    } else {
      logger.info(
        `${tenant.entityRef}: ${plan.kind === 'skip' ? 'skipped' : 'refused'}: ${plan.reason}`,
      );
      (plan.kind === 'skip' ? batch.skipped : batch.refused).push({
        entityRef: tenant.entityRef,
        reason: plan.reason,
      });
    }
  }
  const refusals = batch.refused
    .map(r => `${r.entityRef}: ${r.reason}`)
    .join('; ');
  if (batch.refused.length && candidates.named) {
    throw new InputError(
      `tenants: refused, and nothing was written for any tenant: ${refusals}`,
    );
  }
  if (batch.refused.length && !batch.upgrades.length) {
    throw new InputError(
      `tenants: no tenant can be upgraded now, and nothing was written: ${refusals}`,
    );
  }
  return batch;
}

/** Publishes one planned upgrade under the tenant's lease; skipped when another pull request of it opened meanwhile. */
export async function publishUpgrade(
  plan: PlannedUpgrade,
  leases: TenantLeases,
  holder: string,
  log: (message: string) => void,
): Promise<{ url: string } | { skipped: string }> {
  const release = await leases.acquire(plan.tenant.tenant, holder);
  try {
    const repository = await plan.target.readRepository!();
    const other = (await openTenantChanges(repository, plan.tenant)).find(
      o => o.kind !== 'upgrade',
    );
    if (other)
      return {
        skipped: `another pull request of the tenant opened meanwhile (${other.open})`,
      };
    const change: GitopsChange = {
      host: plan.target.host,
      owner: plan.target.owner,
      repo: plan.target.repo,
      branchName: plan.branchName,
      targetPath: plan.directory,
      files: plan.files,
      title: plan.title,
      description: () => plan.description,
      commitMessage: `${plan.title}\n\nRe-rendered with the chart versions of clearml.charts, by Backstage.`,
      labels: ['clearml', 'upgrade'],
      reviewers: [],
      teamReviewers: [],
      draft: false,
      // The branch replaces the tenant's directory with exactly the re-rendered files (a stale branch is reset).
      update: true,
    };
    const published = await plan.target.publish(change, log);
    return { url: published.remoteUrl };
  } finally {
    await release();
  }
}

export function runSummary(run: {
  pullRequests: Array<{ entityRef: string; url: string; charts: string }>;
  skipped: UpgradeSkip[];
  refused: UpgradeSkip[];
  remaining: number;
  dryRun: boolean;
}): string {
  const lines = [
    `### ${run.dryRun ? 'Would open' : 'Opened'} ${run.pullRequests.length} upgrade pull request(s)`,
    '',
    ...run.pullRequests.map(
      p => `- ${text(p.entityRef)}: ${text(p.charts)} — ${p.url}`,
    ),
  ];
  for (const [title, list] of [
    ['Refused (nothing written)', run.refused],
    ['Skipped', run.skipped],
  ] as const) {
    if (list.length)
      lines.push(
        '',
        `### ${title}`,
        '',
        ...list.map(s => `- ${text(s.entityRef)}: ${text(s.reason)}`),
      );
  }
  if (run.remaining)
    lines.push(
      '',
      `${run.remaining} more tenant(s) not looked at: the batch was full. Run again for them.`,
    );
  return lines.join('\n');
}
