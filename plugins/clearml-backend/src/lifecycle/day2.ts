/**
 * The day-2 stages of a tenant (change, upgrade, retire): each reads the newest pull request from the kind's branch
 * (`clearml-<kind>/<tenant>`, clearml-common tenantDay2.ts) in the tenant's GitOps repository, through the same
 * reader as the tenant's own pull request, then what Argo CD did with it. A stage is there only while its pull
 * request is open or once it is merged: one closed without merging changed nothing, so the tenant reads as before
 * (no stage), as the retire stage does.
 *
 * - change: open → active "Change pending review: …"; merged while Argo CD is not yet Synced and Healthy, or has
 *   not compared an Application with the repository since the merge (`status.reconciledAt` before the merge time:
 *   its Synced is the old files') → active "Applying the change: …"; merged and synced → done "Changed: …"; merged and the sync failed → failed "Change did not apply: …".
 * - upgrade: open → active "Upgrade pending review: …"; merged while an Application does not run the configured
 *   chart versions yet, or is not synced → active "Upgrading: …"; every chart at its configured version and
 *   synced → done "Upgraded: …"; merged and the sync failed → failed.
 */
import {
  DAY2_STAGE_WORDS,
  LifecycleStage,
  TenantChartVersion,
  TenantDay2Kind,
  tenantDay2BranchName,
} from '@clearml-openshift/plugin-clearml-common';
import {
  PullRequestReader,
  PullRequestSource,
  readPullRequestStage,
} from './pullRequest';
import type { ArgoApplication } from './sync';

/**
 * True when the tenant's own pull-request stage could not read its repository at all (GitHub unreachable or
 * refusing, no integration, no local repository): asking the same repository for a day-2 branch would only fail
 * again, and cost every check of a fleet more failing requests. A stage that found no pull request (or no
 * branch) did read the repository.
 */
export function repositoryUnreadable(pullRequest: LifecycleStage): boolean {
  return (
    pullRequest.state === 'unknown' &&
    !/^(No pull request from |No merge request from |Branch .* is not in the local repository)/.test(
      pullRequest.unavailable ?? '',
    )
  );
}

/**
 * The day-2 pull request of `kind`, when one is open (`active`) or merged (`done`); undefined when there is none,
 * it was closed without merging, it could not be read, or the repository was unreadable for the tenant's own one.
 */
export async function readDay2PullRequest(
  kind: TenantDay2Kind,
  source: PullRequestSource | undefined,
  tenant: string,
  reader: PullRequestReader,
  pullRequest?: LifecycleStage,
): Promise<LifecycleStage | undefined> {
  if (!source || (pullRequest && repositoryUnreadable(pullRequest)))
    return undefined;
  const pull = await readPullRequestStage(
    { repoUrl: source.repoUrl, branch: tenantDay2BranchName(kind, tenant) },
    reader,
  );
  return pull.state === 'active' || pull.state === 'done' ? pull : undefined;
}

const CHANGE = DAY2_STAGE_WORDS.change;
const UPGRADE = DAY2_STAGE_WORDS.upgrade;

/** A change or upgrade stage, and whether Argo CD is applying its merged pull request (workloads may come and go). */
export interface Day2Stage {
  stage: LifecycleStage;
  applying: boolean;
}

function day2(
  id: 'change' | 'upgrade',
  state: LifecycleStage['state'],
  summary: string,
  pull: LifecycleStage,
  extra: Partial<LifecycleStage> = {},
): Day2Stage {
  return {
    stage: {
      id,
      state,
      summary,
      ...(pull.url ? { url: pull.url } : {}),
      ...extra,
    },
    applying: pull.state === 'done' && state === 'active',
  };
}

/**
 * The Applications Argo CD last compared with the repository before `since` (a merge): their sync status is the old
 * files'. An Application that reports no `reconciledAt` is not counted (no claim without data).
 */
export function notReconciledSince(
  since: string | undefined,
  applications: readonly ArgoApplication[],
): ArgoApplication[] {
  const merged = Date.parse(since ?? '');
  if (Number.isNaN(merged)) return [];
  return applications.filter(a => {
    const reconciled = Date.parse(a.status?.reconciledAt ?? '');
    return !Number.isNaN(reconciled) && reconciled < merged;
  });
}

/** The change stage: the change's pull request, then the GitOps sync of the tenant's Applications. */
export function changeStage(
  pull: LifecycleStage,
  sync: LifecycleStage,
  applications: readonly ArgoApplication[] = [],
): Day2Stage {
  if (pull.state === 'active')
    return day2('change', 'active', `${CHANGE.review}: ${pull.summary}`, pull);
  const stale = notReconciledSince(pull.since, applications);
  if (stale.length && sync.state !== 'failed')
    return day2(
      'change',
      'active',
      `${CHANGE.applying}: ${pull.summary}; Argo CD has not compared ${stale
        .map(a => a.metadata?.name)
        .join(', ')} with the merge yet`,
      pull,
    );
  switch (sync.state) {
    case 'done':
      return day2('change', 'done', `${CHANGE.done}: ${pull.summary}`, pull);
    case 'failed':
      return day2(
        'change',
        'failed',
        `${CHANGE.failed}: ${pull.summary}; ${sync.summary}`,
        pull,
      );
    case 'unknown':
      return day2(
        'change',
        'unknown',
        `${CHANGE.applying}: ${pull.summary}`,
        pull,
        { unavailable: sync.unavailable ?? sync.summary },
      );
    default:
      return day2(
        'change',
        'active',
        `${CHANGE.applying}: ${pull.summary}; ${sync.summary}`,
        pull,
      );
  }
}

/** The upgrade stage: the upgrade's pull request, then the chart versions Argo CD runs against the configured ones. */
export function upgradeStage(
  pull: LifecycleStage,
  sync: LifecycleStage,
  charts: TenantChartVersion[] | { unavailable: string },
): Day2Stage {
  if (pull.state === 'active')
    return day2(
      'upgrade',
      'active',
      `${UPGRADE.review}: ${pull.summary}`,
      pull,
    );
  if ('unavailable' in charts)
    return day2(
      'upgrade',
      'unknown',
      `${UPGRADE.applying}: ${pull.summary}`,
      pull,
      {
        unavailable: charts.unavailable,
      },
    );
  if (sync.state === 'failed')
    return day2(
      'upgrade',
      'failed',
      `${UPGRADE.failed}: ${pull.summary}; ${sync.summary}`,
      pull,
    );
  const behind = charts.filter(
    c =>
      (c.configured && c.deployed !== c.configured) || c.deployed !== c.target,
  );
  if (behind.length || !charts.length || sync.state !== 'done') {
    const moves = behind.map(
      c =>
        `${c.chart} ${c.deployed ?? 'not synced'} → ${c.configured ?? c.target}`,
    );
    const waiting = moves.length ? moves.join(', ') : sync.summary;
    return day2(
      'upgrade',
      'active',
      `${UPGRADE.applying}: ${pull.summary}; ${waiting}`,
      pull,
    );
  }
  return day2(
    'upgrade',
    'done',
    `${UPGRADE.done}: ${pull.summary}; ${charts.map(c => `${c.chart} ${c.deployed}`).join(', ')}`,
    pull,
  );
}
