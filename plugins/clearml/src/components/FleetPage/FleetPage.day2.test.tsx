import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fleetRow, healthyReport } from '../../../dev/fixtures';
import {
  changePendingReport,
  CURRENT_CHARTS,
  upgradingReport,
} from '../../../dev/day2Fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../../__testUtils__/healthApiDouble';
import { testClearmlClient } from '../../__testUtils__/testClient';
import { clearmlApiRef } from '../../api';
import { FleetPage } from './FleetPage';

// material-table renders slowly under jsdom on a shared machine.
jest.setTimeout(30_000);
const WAIT = { timeout: 5000 };

describe('ClearmlFleetPage: day 2', () => {
  let backend: HealthApiDouble;

  beforeAll(async () => {
    backend = await startHealthApiDouble();
    backend.answerTenants([
      { ...fleetRow(healthyReport()), charts: CURRENT_CHARTS },
      {
        ...fleetRow(changePendingReport()),
        entityRef: 'resource:default/vega',
        title: 'vega',
      },
      fleetRow(upgradingReport()),
      {
        entityRef: 'resource:default/old',
        title: 'old',
        status: 'progressing',
        stage: 'retire',
        stageSummary: 'Retiring: Pull request #7 waiting for review',
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
    await screen.findByText('4 tenants', {}, { timeout: 15_000 });
  }

  const row = (name: string) =>
    screen.getByRole('link', { name }).closest('tr')!;
  const shown = () =>
    ['acme', 'vega', 'lyra', 'old'].filter(name =>
      screen.queryByRole('link', { name }),
    );

  /** Opens a filter of Backstage's table by its label and picks an option. */
  async function filterBy(label: string, option: string) {
    const control = screen
      .getAllByText(label, { selector: 'label' })[0]
      .closest('[class*="MuiFormControl-root"]') as HTMLElement;
    // The select's own button (its chips are buttons too).
    fireEvent.mouseDown(control.querySelector('[aria-haspopup="listbox"]')!);
    fireEvent.click(await screen.findByRole('option', { name: option }));
    // A multiple select stays open; a single one closes on the pick.
    const open = screen.queryByRole('listbox');
    if (open) fireEvent.keyDown(open, { key: 'Escape' });
  }

  it('shows what each tenant is doing on day 2 and its chart versions, drift marked', async () => {
    await renderPage();
    expect(row('vega')).toHaveTextContent(
      'Change pending review: Pull request #5 waiting for review',
    );
    expect(row('vega')).toHaveTextContent('Healthy');
    expect(row('lyra')).toHaveTextContent(
      'Upgrading: Pull request #9 merged; clearml 7.14.1 → 7.14.4',
    );
    expect(row('old')).toHaveTextContent(
      'Retiring: Pull request #7 waiting for review',
    );
    expect(row('acme')).toHaveTextContent('clearml 7.14.4');
    expect(row('acme')).not.toHaveTextContent('configured');
    expect(row('lyra')).toHaveTextContent('clearml 7.14.1 (configured 7.14.4)');
    expect(
      within(row('lyra')).getByTitle(
        'Argo CD Application clearml-acme-agent: not the configured version',
      ),
    ).toHaveTextContent('clearml-agent 5.3.0 (configured 5.3.2)');
  });

  it('filters by stage, by chart version and by chart drift', async () => {
    await renderPage();
    fireEvent.click(screen.getByRole('button', { name: 'filter list' }));
    await filterBy('Stage', 'Upgrading');
    await waitFor(() => expect(shown()).toEqual(['lyra']), WAIT);
    await filterBy('Stage', 'Change pending review');
    await waitFor(() => expect(shown()).toEqual(['vega', 'lyra']), WAIT);
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    await waitFor(() => expect(shown()).toHaveLength(4), WAIT);
    await filterBy('Chart version', 'clearml 7.14.1');
    await waitFor(() => expect(shown()).toEqual(['lyra']), WAIT);
    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    await waitFor(() => expect(shown()).toHaveLength(4), WAIT);
    // Which tenants run a chart other than the configured one.
    await filterBy('Chart drift', 'Not the configured version');
    await waitFor(() => expect(shown()).toEqual(['lyra']), WAIT);
    await filterBy('Chart drift', 'Configured versions');
    await waitFor(() => expect(shown()).toEqual(['acme', 'vega']), WAIT);
  });
});
