/**
 * The retire stage of a tenant: its retire pull request (branch `clearml-retire/<tenant>` in the tenant's GitOps
 * repository, read like the pull-request stage) and, once merged, whether Argo CD has deleted the tenant's
 * Applications. Absent while no retire pull request exists (or when one was closed unmerged: the tenant stays).
 */
import {
  LifecycleStage,
  tenantRetireBranchName,
} from '@clearml-openshift/plugin-clearml-common';
import {
  PullRequestReader,
  PullRequestSource,
  readPullRequestStage,
} from './pullRequest';
import { ArgoApplication } from './sync';

function stage(
  state: LifecycleStage['state'],
  summary: string,
  extra: Partial<LifecycleStage> = {},
): LifecycleStage {
  return { id: 'retire', state, summary, ...extra };
}

/**
 * True when the tenant's own pull-request stage could not read its repository at all (GitHub unreachable or
 * refusing, no integration, no local repository): asking the same repository for the retire branch would only fail
 * again, and cost every check of a fleet a second failing request. A stage that found no pull request (or no
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

export async function readRetireStage(
  source: PullRequestSource | undefined,
  tenant: string,
  reader: PullRequestReader,
  applications: () => Promise<
    { items: ArgoApplication[] } | { unavailable: string }
  >,
  pullRequest?: LifecycleStage,
): Promise<LifecycleStage | undefined> {
  if (!source || (pullRequest && repositoryUnreadable(pullRequest)))
    return undefined;
  const pull = await readPullRequestStage(
    { repoUrl: source.repoUrl, branch: tenantRetireBranchName(tenant) },
    reader,
  );
  const url = pull.url ? { url: pull.url } : {};
  if (pull.state === 'active')
    return stage('active', `Retiring: ${pull.summary}`, url);
  if (pull.state !== 'done') return undefined;
  const apps = await applications();
  if ('unavailable' in apps)
    return stage('unknown', `Retiring: ${pull.summary}`, {
      ...url,
      unavailable: apps.unavailable,
    });
  if (apps.items.length)
    return stage(
      'active',
      `Retiring: ${pull.summary}; Argo CD is deleting ${apps.items.map(a => a.metadata?.name).join(', ')}`,
      url,
    );
  return stage(
    'done',
    `Retired: ${pull.summary}; no Argo CD Application left`,
    url,
  );
}
