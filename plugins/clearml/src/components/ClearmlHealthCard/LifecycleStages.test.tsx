import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TenantLifecycle } from '@clearml-openshift/plugin-clearml-common';
import { LifecycleStages } from './LifecycleStages';

const RUNNING: TenantLifecycle['stages'] = [
  { id: 'request', state: 'done', summary: 'Requested in Backstage' },
  { id: 'pullRequest', state: 'done', summary: 'Pull request #2 merged' },
  {
    id: 'sync',
    state: 'done',
    summary: 'clearml-acme-server: Synced, Healthy',
  },
  { id: 'rollout', state: 'done', summary: 'All components ready' },
];

describe('LifecycleStages: retiring → retired', () => {
  it('shows a tenant whose retire pull request waits for review as Retiring, linked', async () => {
    await renderInTestApp(
      <LifecycleStages
        statusReason="Retiring: Pull request #7 waiting for review"
        lifecycle={{
          current: 'retire',
          stages: [
            ...RUNNING,
            {
              id: 'retire',
              state: 'active',
              summary: 'Retiring: Pull request #7 waiting for review',
              url: 'https://github.com/platform/gitops/pull/7',
            },
          ],
        }}
      />,
    );
    const stage = screen.getByRole('listitem', { name: 'Retire: Retiring' });
    expect(stage).toHaveAttribute('aria-current', 'step');
    expect(
      screen
        .getByText('Retiring: Pull request #7 waiting for review', {
          selector: 'a, a *',
        })
        .closest('a'),
    ).toHaveAttribute('href', 'https://github.com/platform/gitops/pull/7');
  });

  it('shows a tenant whose Applications Argo CD has deleted as Retired', async () => {
    await renderInTestApp(
      <LifecycleStages
        lifecycle={{
          current: 'retire',
          stages: [
            ...RUNNING,
            {
              id: 'retire',
              state: 'done',
              summary:
                'Retired: Pull request #7 merged; no Argo CD Application left',
            },
          ],
        }}
      />,
    );
    expect(
      screen.getByRole('listitem', { name: 'Retire: Retired' }),
    ).toHaveTextContent(
      'Retired: Pull request #7 merged; no Argo CD Application left',
    );
    // The other stages keep their own words.
    expect(
      screen.getByRole('listitem', { name: 'Rollout: Done' }),
    ).toBeInTheDocument();
  });
});

describe('LifecycleStages: change and upgrade', () => {
  const render = (stage: TenantLifecycle['stages'][number]) =>
    renderInTestApp(
      <LifecycleStages
        lifecycle={{ current: stage.id, stages: [...RUNNING, stage] }}
      />,
    );

  it.each([
    [
      'change',
      'active',
      'Change pending review: Pull request #5 waiting for review',
      'Change: Change pending review',
    ],
    [
      'change',
      'active',
      'Applying the change: Pull request #5 merged; clearml-acme-agent: OutOfSync, Progressing',
      'Change: Applying the change',
    ],
    ['change', 'done', 'Changed: Pull request #5 merged', 'Change: Changed'],
    [
      'change',
      'failed',
      'Change did not apply: Pull request #5 merged; clearml-acme-agent: Synced, Degraded',
      'Change: Change did not apply',
    ],
    [
      'upgrade',
      'active',
      'Upgrade pending review: Pull request #9 waiting for review',
      'Upgrade: Upgrade pending review',
    ],
    [
      'upgrade',
      'active',
      'Upgrading: Pull request #9 merged; clearml 7.14.1 → 7.14.4',
      'Upgrade: Upgrading',
    ],
    [
      'upgrade',
      'done',
      'Upgraded: Pull request #9 merged; clearml 7.14.4',
      'Upgrade: Upgraded',
    ],
  ] as const)(
    'labels a %s stage %s from its summary: %s',
    async (id, state, summary, name) => {
      await render({ id, state, summary });
      expect(screen.getByRole('listitem', { name })).toHaveTextContent(summary);
    },
  );

  it('says Unknown, not the day-2 word, when the stage could not be read', async () => {
    await render({
      id: 'upgrade',
      state: 'unknown',
      summary: 'Upgrading: Pull request #9 merged',
      unavailable: 'Argo CD Applications could not be read: 403',
    });
    expect(
      screen.getByRole('listitem', { name: 'Upgrade: Unknown' }),
    ).toHaveTextContent(
      'Could not read: Argo CD Applications could not be read: 403',
    );
  });
});
