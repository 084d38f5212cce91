import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
  TableFilter,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { makeStyles } from '@material-ui/core/styles';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  chartVersionText,
  day2StageLabel,
  FleetTenant,
  HEALTH_STATUS_ORDER,
  LIFECYCLE_STAGES,
} from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef } from '../../api';
import {
  HealthStatusIndicator,
  statusDisplay,
} from '../ClearmlHealthCard/HealthStatusIndicator';
import { formatRelativeTime } from '../ClearmlHealthCard/relativeTime';

const STAGE_TITLES: Record<string, string> = {
  request: 'Request',
  pullRequest: 'Pull request',
  sync: 'GitOps sync',
  rollout: 'Rollout',
  change: 'Change',
  upgrade: 'Upgrade',
  retire: 'Retire',
};

/** One row: the tenant plus the texts the table sorts, searches and filters on. */
type Row = FleetTenant & {
  statusLabel: string;
  stageLabel: string;
  isolationLabel: string;
  /** "clearml 7.14.1", one per chart: what the chart-version filter offers. */
  chartLabels: string[];
  drift: boolean;
  /** What the chart-drift filter offers: whether every chart runs its configured version. */
  driftLabel: string;
};

/** A day-2 stage's summary starts with what the tenant is doing ("Upgrading: …"); the others get their title. */
function stageText(row: Row): string {
  if (!row.stageSummary) return row.stageLabel;
  return day2StageLabel({ id: row.stage!, summary: row.stageSummary })
    ? row.stageSummary
    : `${row.stageLabel}: ${row.stageSummary}`;
}

function chartDriftLabel(tenant: FleetTenant): string {
  if (!tenant.charts?.length) return 'Charts unknown';
  return tenant.charts.some(c => c.drift)
    ? 'Not the configured version'
    : 'Configured versions';
}

function ChartCell(props: { row: Row }) {
  return (
    <>
      {(props.row.charts ?? []).map(chart => {
        const text = chartVersionText(chart);
        const Icon = chart.drift ? StatusWarning : StatusOK;
        return (
          <div
            key={`${chart.application}/${chart.chart}`}
            title={`Argo CD Application ${chart.application}${chart.drift ? ': not the configured version' : ''}`}
          >
            <Icon>{text}</Icon>
          </div>
        );
      })}
    </>
  );
}

const ISOLATION_TITLES: Record<string, string> = {
  isolated: 'Isolated',
  partial: 'Partly isolated',
  none: 'Not isolated',
  unknown: 'Unknown',
};

const columns: TableColumn<Row>[] = [
  {
    title: 'Tenant',
    field: 'title',
    highlight: true,
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'namespace' },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : null,
  },
  { title: 'Edition', field: 'edition' },
  {
    title: 'Stage',
    field: 'stageLabel',
    // Sort by the order of the stages, not alphabetically.
    customSort: (a, b) =>
      LIFECYCLE_STAGES.indexOf(a.stage ?? 'request') -
      LIFECYCLE_STAGES.indexOf(b.stage ?? 'request'),
    render: row => <span title={row.stageSummary}>{stageText(row)}</span>,
  },
  {
    title: 'Chart version',
    field: 'chartLabels',
    // Drifted tenants first when sorted ascending, then by version text.
    customSort: (a, b) =>
      Number(b.drift) - Number(a.drift) ||
      a.chartLabels.join().localeCompare(b.chartLabels.join()),
    render: row => <ChartCell row={row} />,
  },
  // Only for its filter: the tenants that run a chart other than the configured one.
  { title: 'Chart drift', field: 'driftLabel', hidden: true },
  {
    title: 'Status',
    field: 'statusLabel',
    // Worst first when sorted descending: the order of the statuses, not of their names.
    customSort: (a, b) =>
      HEALTH_STATUS_ORDER.indexOf(a.status) -
      HEALTH_STATUS_ORDER.indexOf(b.status),
    // "Progressing" on one line, however narrow the table.
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => (
      <span title={row.error ?? row.stale?.reason ?? row.statusReason}>
        <HealthStatusIndicator status={row.status} />
        {row.error ? ` (${row.error})` : ''}
        {row.stale ? ` (last known, ${row.stale.ageSeconds}s old)` : ''}
      </span>
    ),
  },
  {
    title: 'Isolation',
    field: 'isolationLabel',
    render: row =>
      row.isolation ? (
        <span title={row.isolation.summary}>
          {row.isolationLabel}
          {row.isolation.state === 'isolated'
            ? ''
            : `: ${row.isolation.summary}`}
        </span>
      ) : null,
  },
  {
    title: 'Checked',
    field: 'checkedAt',
    searchable: false,
    render: row =>
      row.checkedAt ? (
        <time dateTime={row.checkedAt}>
          {formatRelativeTime(row.checkedAt)}
        </time>
      ) : null,
  },
];

const filters: TableFilter[] = [
  { column: 'Status', type: 'multiple-select' },
  { column: 'Stage', type: 'multiple-select' },
  { column: 'Chart version', type: 'multiple-select' },
  { column: 'Chart drift', type: 'select' },
  { column: 'Isolation', type: 'select' },
  { column: 'Cluster', type: 'select' },
  { column: 'Edition', type: 'select' },
];

const useStyles = makeStyles({
  // With filters, Backstage's Table puts the toolbar (title, search) beside the filter button at its content width,
  // where the toolbar's spacer then takes a share of it and cuts the title: the toolbar fills the row instead, and
  // the title (its first child) keeps its width on one line.
  table: {
    // MUI's class names carry a counter under Backstage's nested themes (MuiToolbar-root-123).
    '& [class*="MuiToolbar-root"]': { flexGrow: 1 },
    '& [class*="MuiToolbar-root"] > div:first-child': { flexShrink: 0 },
    '& [class*="MuiToolbar-root"] h2': { whiteSpace: 'nowrap' },
  },
});

/** Every ClearML tenant in the catalog, for the platform team: where each is, who owns it, how far it got, how it is. */
export function FleetPage() {
  const classes = useStyles();
  const clearmlApi = useApi(clearmlApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => clearmlApi.getTenants(),
    [clearmlApi],
  );
  const rows: Row[] = (value ?? []).map(t => ({
    ...t,
    statusLabel: statusDisplay(t.status).label,
    stageLabel: t.stage
      ? (day2StageLabel({ id: t.stage, summary: t.stageSummary }) ??
        STAGE_TITLES[t.stage] ??
        t.stage)
      : '',
    isolationLabel: t.isolation ? ISOLATION_TITLES[t.isolation.state] : '',
    chartLabels: (t.charts ?? []).map(
      c => `${c.chart} ${c.deployed ?? c.target}`,
    ),
    drift: (t.charts ?? []).some(c => c.drift),
    driftLabel: chartDriftLabel(t),
  }));
  return (
    <Page themeId="tool">
      <Header
        title="ClearML tenants"
        subtitle="Every tenant in the catalog, from request to running"
      />
      <Content>
        <ContentHeader
          title={
            value
              ? `${rows.length} tenant${rows.length === 1 ? '' : 's'}`
              : 'Loading tenants'
          }
        />
        {error ? (
          <ResponseErrorPanel
            error={error}
            title={`Could not read the tenants: ${error.message}`}
          />
        ) : (
          <div className={classes.table}>
            <Table<Row>
              title="ClearML tenants"
              isLoading={loading && !value}
              columns={columns}
              data={rows}
              filters={filters}
              options={{
                search: true,
                paging: rows.length > 50,
                pageSize: 50,
                padding: 'dense',
              }}
              actions={[
                {
                  icon: () => <RefreshIcon />,
                  tooltip: 'Check again',
                  isFreeAction: true,
                  onClick: () => retry(),
                },
              ]}
            />
          </div>
        )}
      </Content>
    </Page>
  );
}
