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
