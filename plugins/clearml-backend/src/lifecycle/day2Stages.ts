/**
 * Reads a tenant's day-2 stages for one check. Each is one pull-request read of the tenant's repository (a request
 * to GitHub or GitLab, under the report cache): the retire branch always; the change and upgrade branches only once
 * the tenant's own pull request is merged (or is not there to read), since a tenant still in review has neither. The
 * three reads run together, and none when the repository could not be read for the tenant's own pull request.
 */
import {
  LifecycleStage,
  TenantChartVersion,
} from '@clearml-openshift/plugin-clearml-common';
import { changeStage, readDay2PullRequest, upgradeStage } from './day2';
import type { Day2Stages } from './lifecycle';
import { PullRequestReader, PullRequestSource } from './pullRequest';
import { readRetireStage } from './retire';
import { ArgoApplication } from './sync';

export async function readDay2Stages(options: {
  source: PullRequestSource | undefined;
  tenant: string;
  reader: PullRequestReader;
  /** The tenant's own pull-request stage. */
  pullRequest: LifecycleStage;
  sync: LifecycleStage;
  applications: { items: ArgoApplication[] } | { unavailable: string };
  charts: TenantChartVersion[] | { unavailable: string };
}): Promise<Day2Stages> {
  const { source, tenant, reader, pullRequest, sync } = options;
  const created =
    pullRequest.state !== 'active' && pullRequest.state !== 'failed';
  const pull = (kind: 'change' | 'upgrade') =>
    created
      ? readDay2PullRequest(kind, source, tenant, reader, pullRequest)
      : Promise.resolve(undefined);
  const [retire, change, upgrade] = await Promise.all([
    readRetireStage(
      source,
      tenant,
      reader,
      async () => options.applications,
      pullRequest,
    ),
    pull('change'),
    pull('upgrade'),
  ]);
  return {
    ...(retire ? { retire } : {}),
    ...(change
      ? {
          change: changeStage(
            change,
            sync,
            'items' in options.applications ? options.applications.items : [],
          ),
        }
      : {}),
    ...(upgrade
      ? { upgrade: upgradeStage(upgrade, sync, options.charts) }
      : {}),
  };
}
