import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TenantHealth } from '@clearml-openshift/plugin-clearml-common';
import { acmeTenant, tenantEntity } from '../../../dev/fixtures';
import {
  changePendingReport,
  upgradingReport,
} from '../../../dev/day2Fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../../__testUtils__/healthApiDouble';
import { clearmlApiRef } from '../../api';
import { EntityClearmlHealthCard } from '../../plugin';
import { testClearmlClient } from '../../__testUtils__/testClient';

const acme = tenantEntity(acmeTenant);

describe('EntityClearmlHealthCard: day 2', () => {
  let backend: HealthApiDouble;

  beforeAll(async () => {
    backend = await startHealthApiDouble();
  });
  afterAll(() => backend.close());

  async function renderCard(report: TenantHealth) {
    // The card asks for its entity: the report answers under acme's ref whatever tenant it describes.
    backend.answer('resource:default/acme', report);
    await renderInTestApp(
      <TestApiProvider
        apis={[[clearmlApiRef, testClearmlClient(backend.baseUrl)]]}
      >
        <EntityProvider entity={acme}>
          <EntityClearmlHealthCard refreshIntervalSeconds={0} />
        </EntityProvider>
      </TestApiProvider>,
    );
    await screen.findByRole('status', { name: 'Tenant status' });
  }

  it('shows a running tenant with a change in review as healthy, the change pending review, the charts current', async () => {
    await renderCard(changePendingReport());
    expect(
      screen.getByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
    const change = screen.getByRole('listitem', {
      name: 'Change: Change pending review',
    });
    expect(change).toHaveAttribute('aria-current', 'step');
    expect(within(change).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/platform/gitops/pull/5',
    );
    const charts = screen.getByRole('list', { name: 'Chart versions' });
    expect(
      within(charts).getByRole('listitem', { name: 'Chart clearml 7.14.4' }),
    ).toBeInTheDocument();
    expect(charts).not.toHaveTextContent('configured');
  });

  it('shows an upgrade Argo CD is applying as Upgrading, and each chart that is not the configured version', async () => {
    await renderCard(upgradingReport());
    expect(
      screen.getByRole('listitem', { name: 'Upgrade: Upgrading' }),
    ).toHaveTextContent(
      'Upgrading: Pull request #9 merged; clearml 7.14.1 → 7.14.4, clearml-agent 5.3.0 → 5.3.2',
    );
    expect(
      screen.getByRole('listitem', {
        name: 'Chart clearml 7.14.1 (configured 7.14.4): not the configured version',
      }),
    ).toHaveTextContent('Chart clearml 7.14.1 (configured 7.14.4)');
    expect(
      screen.getByRole('listitem', {
        name: 'Chart clearml-agent 5.3.0 (configured 5.3.2): not the configured version',
      }),
    ).toBeInTheDocument();
  });
});
