import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  brokenReport,
  fleetRow,
  healthyReport,
  inReviewReport,
  unreachableReport,
} from '../../../dev/fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../../__testUtils__/healthApiDouble';
import { testClearmlClient } from '../../__testUtils__/testClient';
import { clearmlApiRef } from '../../api';
import { FleetPage } from './FleetPage';

// material-table renders slowly under jsdom on a shared machine.
jest.setTimeout(30_000);

describe('ClearmlFleetPage (FleetPage)', () => {
  let backend: HealthApiDouble;

  beforeAll(async () => {
    backend = await startHealthApiDouble();
    backend.answerTenants([
      fleetRow(healthyReport()),
      fleetRow(brokenReport(), 'group:default/vision-team'),
      fleetRow(inReviewReport()),
      {
        ...fleetRow(unreachableReport()),
        status: 'healthy',
        stale: {
          asOf: new Date().toISOString(),
          ageSeconds: 40,
          reason: "cluster 'ocp-lab' cannot be reached (ECONNREFUSED)",
        },
      },
      {
        entityRef: 'resource:default/half',
        title: 'half',
        status: 'unknown',
        error:
          'Entity cannot be checked as a ClearML tenant: missing clear.ml/release',
      },
    ]);
  });
  afterAll(() => backend.close());

  async function renderPage() {
    await renderInTestApp(
      <TestApiProvider
        apis={[[clearmlApiRef, testClearmlClient(backend.baseUrl)]]}
      >
        <FleetPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
  }

  const tenantNames = () =>
    screen
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).queryAllByRole('cell')[0]?.textContent ?? '');

  it('lists every tenant with cluster, owner, stage and status, each linked to its entity page; sorts and filters', async () => {
    await renderPage();
    expect(
      await screen.findByText('5 tenants', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    const vision = screen.getByRole('link', { name: 'vision' });
    expect(vision).toHaveAttribute('href', '/catalog/default/resource/vision');
    const row = vision.closest('tr')!;
    expect(row).toHaveTextContent('ocp-prod');
    expect(row).toHaveTextContent('clearml-vision');
    expect(
      within(row).getByRole('link', { name: 'vision-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/vision-team');
    expect(row).toHaveTextContent('Down');
    // A status that is the cluster's last known state says how old it is.
    const orbit = screen.getByRole('link', { name: 'orbit' }).closest('tr')!;
    expect(orbit).toHaveTextContent('Healthy (last known, 40s old)');
    expect(within(orbit).getByTitle(/ECONNREFUSED/)).toBeInTheDocument();
    const nova = screen.getByRole('link', { name: 'nova' }).closest('tr')!;
    expect(nova).toHaveTextContent(
      'Pull request: Pull request #42 waiting for review',
    );
    expect(nova).toHaveTextContent('Progressing');
    expect(
      screen.getByRole('link', { name: 'half' }).closest('tr'),
    ).toHaveTextContent('missing clear.ml/release');
    expect(
      backend.requests.some(
        r =>
          r.path === '/api/clearml/v1/tenants' &&
          r.authorization === 'Bearer user-token',
      ),
    ).toBe(true);

    // Sorted by status, worst first; then filtered by search text.
    // The column header's sort label (material-table also renders a drag handle with the same name inside it).
    const status = screen.getAllByRole('button', { name: 'Status' })[0];
    fireEvent.click(status);
    fireEvent.click(status);
    expect(tenantNames()[0]).toBe('vision');
    fireEvent.change(screen.getByPlaceholderText('Filter'), {
      target: { value: 'clearml-nova' },
    });
    expect(
      await screen.findByRole('link', { name: 'nova' }),
    ).toBeInTheDocument();
    // The search is debounced.
    await waitFor(
      () =>
        expect(
          screen.queryByRole('link', { name: 'vision' }),
        ).not.toBeInTheDocument(),
      { timeout: 5000 },
    );
    expect(screen.getByRole('link', { name: 'nova' })).toBeInTheDocument();
  });
});
