/**
 * The retire stage of a tenant: its retire pull request (branch `clearml-retire/<tenant>` in the tenant's GitOps
 * repository, read like the pull-request stage) and, once merged, whether Argo CD has deleted the tenant's
 * Applications. Absent while no retire pull request exists (or when one was closed unmerged: the tenant stays).
 */
import {
  DAY2_STAGE_WORDS,
  LifecycleStage,
} from '@clearml-openshift/plugin-clearml-common';
import { readDay2PullRequest } from './day2';
import { PullRequestReader, PullRequestSource } from './pullRequest';
import { ArgoApplication } from './sync';

const RETIRE = DAY2_STAGE_WORDS.retire;

function stage(
  state: LifecycleStage['state'],
  summary: string,
  extra: Partial<LifecycleStage> = {},
): LifecycleStage {
  return { id: 'retire', state, summary, ...extra };
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
  const pull = await readDay2PullRequest(
    'retire',
    source,
    tenant,
    reader,
    pullRequest,
  );
  if (!pull) return undefined;
  const url = pull.url ? { url: pull.url } : {};
  if (pull.state === 'active')
    return stage('active', `${RETIRE.review}: ${pull.summary}`, url);
  const apps = await applications();
  if ('unavailable' in apps)
    return stage('unknown', `${RETIRE.review}: ${pull.summary}`, {
      ...url,
      unavailable: apps.unavailable,
    });
  if (apps.items.length)
    return stage(
      'active',
      `${RETIRE.applying}: ${pull.summary}; Argo CD is deleting ${apps.items.map(a => a.metadata?.name).join(', ')}`,
      url,
    );
  return stage(
    'done',
    `${RETIRE.done}: ${pull.summary}; no Argo CD Application left`,
    url,
  );
}
