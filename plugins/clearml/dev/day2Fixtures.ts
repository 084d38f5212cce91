/**
 * Day-2 health reports for the dev app and the tests: a running tenant with a change in review, and one Argo CD is
 * upgrading to the configured charts. Stage summaries start with clearml-common's DAY2_STAGE_WORDS, as the backend's
 * do; chart versions are those of the packaged charts (clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2).
 */
import {
  DAY2_STAGE_WORDS,
  LifecycleStage,
  TenantChartVersion,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { healthyReport } from './fixtures';

const RUNNING: LifecycleStage[] = [
  { id: 'request', state: 'done', summary: 'Requested in Backstage' },
  { id: 'pullRequest', state: 'done', summary: 'Pull request #2 merged' },
  {
    id: 'sync',
    state: 'done',
    summary:
      'clearml-acme-server: Synced, Healthy; clearml-acme-agent: Synced, Healthy',
  },
  { id: 'rollout', state: 'done', summary: 'All components ready' },
];

function chart(
  name: string,
  role: TenantChartVersion['role'],
  deployed: string,
  configured: string,
): TenantChartVersion {
  return {
    chart: name,
    role,
    application: `clearml-acme-${role}`,
    deployed,
    target: deployed,
    configured,
    drift: deployed !== configured,
  };
}

/** The configured charts, run. */
export const CURRENT_CHARTS = [
  chart('clearml', 'server', '7.14.4', '7.14.4'),
  chart('clearml-agent', 'agent', '5.3.2', '5.3.2'),
];

/** acme, running, a change (agent queue) in review: still healthy; the change stage is where it is. */
export function changePendingReport(
  checkedAt: Date = new Date(),
): TenantHealth {
  return {
    ...healthyReport(checkedAt),
    charts: CURRENT_CHARTS,
    lifecycle: {
      current: 'change',
      stages: [
        ...RUNNING,
        {
          id: 'change',
          state: 'active',
          summary: `${DAY2_STAGE_WORDS.change.review}: Pull request #5 waiting for review`,
          url: 'https://github.com/platform/gitops/pull/5',
        },
      ],
    },
  };
}

/** acme, upgrade merged, Argo CD still on the old charts: upgrading, drift on both charts. */
export function upgradingReport(checkedAt: Date = new Date()): TenantHealth {
  return {
    ...healthyReport(checkedAt),
    entityRef: 'resource:default/lyra',
    namespace: 'clearml-lyra',
    charts: [
      chart('clearml', 'server', '7.14.1', '7.14.4'),
      chart('clearml-agent', 'agent', '5.3.0', '5.3.2'),
    ],
    lifecycle: {
      current: 'upgrade',
      stages: [
        ...RUNNING,
        {
          id: 'upgrade',
          state: 'active',
          summary: `${DAY2_STAGE_WORDS.upgrade.applying}: Pull request #9 merged; clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2`,
          url: 'https://github.com/platform/gitops/pull/9',
        },
      ],
    },
  };
}
