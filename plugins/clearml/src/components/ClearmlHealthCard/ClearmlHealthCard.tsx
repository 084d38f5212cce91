import { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { makeStyles } from '@material-ui/core/styles';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  HealthStaleness,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef } from '../../api';
import { missingClearmlAnnotations } from '../../isClearmlTenantAvailable';
import { ComponentRow } from './ComponentRow';
import { ProblemList } from './ProblemList';
import { splitSharedProblems } from './sharedProblems';
import { groupComponents } from './componentGroups';
import { HealthStatusIndicator } from './HealthStatusIndicator';
import { LifecycleStages } from './LifecycleStages';
import { IsolationSection } from './IsolationSection';
import { ChartVersions } from './ChartVersions';
import { formatRelativeTime } from './relativeTime';

const TITLE = 'ClearML tenant health';

/** @public */
export interface ClearmlHealthCardProps {
  /** Seconds between automatic re-checks; 0 turns auto-refresh off. Default 30. */
  refreshIntervalSeconds?: number;
}

const useStyles = makeStyles(theme => ({
  title: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: theme.spacing(2),
  },
  status: { fontSize: theme.typography.body1.fontSize },
  section: { marginTop: theme.spacing(1), '&:first-child': { marginTop: 0 } },
  sectionTitle: { marginBottom: 0 },
  list: { listStyle: 'none', margin: 0, padding: 0 },
}));

function CardTitle(props: { health?: TenantHealth }) {
  const classes = useStyles();
  return (
    <span className={classes.title}>
      {TITLE}
      {props.health && (
        <span
          role="status"
          aria-label="Tenant status"
          className={classes.status}
        >
          <HealthStatusIndicator status={props.health.status} />
        </span>
      )}
    </span>
  );
}

function Subheader(props: { health: TenantHealth }) {
  const { cluster, namespace, checkedAt, stale } = props.health;
  // One span: the header lays its children out as flex items, which would drop the space before <time>.
  return (
    <span>
      {cluster} / {namespace} · checked{' '}
      <time dateTime={checkedAt} title={new Date(checkedAt).toLocaleString()}>
        {formatRelativeTime(checkedAt)}
      </time>
      {stale && <StaleNote stale={stale} />}
    </span>
  );
}

/** The report shows the cluster's last known state: how old, and why the cluster cannot be heard from now. */
function StaleNote(props: { stale: HealthStaleness }) {
  const { asOf, ageSeconds, reason } = props.stale;
  return (
    <Typography
      component="span"
      role="note"
      aria-label="Last known state"
      variant="body2"
      color="error"
      display="block"
      title={reason}
    >
      Last known state, {ageSeconds}s old (as of{' '}
      <time dateTime={asOf}>{new Date(asOf).toLocaleTimeString()}</time>):{' '}
      {reason}
    </Typography>
  );
}

function RefreshButton(props: { onClick: () => void; busy: boolean }) {
  return (
    <Box display="flex" alignItems="center">
      {props.busy && <CircularProgress size={16} aria-label="Checking" />}
      <IconButton
        aria-label="Refresh"
        title="Check again now"
        onClick={props.onClick}
      >
        <RefreshIcon />
      </IconButton>
    </Box>
  );
}

/** The backend's own message (it names the entity or the missing annotation), not just the HTTP status. */
function errorTitle(error: Error): string {
  const cause =
    error.name === 'ResponseError'
      ? (error as Error & { cause?: Error }).cause
      : undefined;
  return `Could not read the tenant's health: ${cause?.message || error.message}`;
}

function HealthReport(props: { health: TenantHealth }) {
  const classes = useStyles();
  const { shared, components } = splitSharedProblems(props.health.components);
  const { lifecycle, statusReason, isolation, charts } = props.health;
  return (
    <>
      {lifecycle && (
        <section className={classes.section}>
          <Typography
            variant="overline"
            component="h3"
            className={classes.sectionTitle}
          >
            From request to running
          </Typography>
          <LifecycleStages lifecycle={lifecycle} statusReason={statusReason} />
        </section>
      )}
      {charts && charts.length > 0 && (
        <section className={classes.section}>
          <Typography
            variant="overline"
            component="h3"
            className={classes.sectionTitle}
          >
            Charts
          </Typography>
          <ChartVersions charts={charts} />
        </section>
      )}
      {shared.length > 0 && (
        <section className={classes.section}>
          <Typography
            variant="overline"
            component="h3"
            className={classes.sectionTitle}
          >
            Every component
          </Typography>
          <ProblemList problems={shared} label="Problems of every component" />
        </section>
      )}
      {isolation && (
        <section className={classes.section}>
          <Typography
            variant="overline"
            component="h3"
            className={classes.sectionTitle}
          >
            Isolation on the cluster
          </Typography>
          <IsolationSection isolation={isolation} />
        </section>
      )}
      {groupComponents(components).map(section => {
        const headingId = `clearml-health-${section.group}`;
        return (
          <section key={section.group} className={classes.section}>
            <Typography
              variant="overline"
              component="h3"
              id={headingId}
              className={classes.sectionTitle}
            >
              {section.title}
            </Typography>
            <ul className={classes.list} aria-labelledby={headingId}>
              {section.components.map(component => (
                <ComponentRow key={component.id} component={component} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function TenantHealthCard(props: {
  entityRef: string;
  refreshIntervalSeconds: number;
}) {
  const clearmlApi = useApi(clearmlApiRef);
  const { entityRef, refreshIntervalSeconds } = props;
  const { value, loading, error, retry } = useAsyncRetry(
    () => clearmlApi.getTenantHealth(entityRef),
    [clearmlApi, entityRef],
  );
  useInterval(
    retry,
    refreshIntervalSeconds > 0 ? refreshIntervalSeconds * 1000 : null,
  );

  const action = <RefreshButton onClick={retry} busy={loading} />;
  let content: ReactNode;
  if (error) {
    content = <ResponseErrorPanel error={error} title={errorTitle(error)} />;
  } else if (value) {
    content = <HealthReport health={value} />;
  } else {
    content = <Progress />;
  }
  return (
    <InfoCard
      title={<CardTitle health={error ? undefined : value} />}
      subheader={!error && value ? <Subheader health={value} /> : undefined}
      action={action}
    >
      {content}
    </InfoCard>
  );
}

/**
 * Health of the ClearML tenant behind the current entity: server, dependencies,
 * agent and app gateway, with the problems found and how to fix them.
 */
export function ClearmlHealthCard(props: ClearmlHealthCardProps) {
  const { entity } = useEntity();
  const missing = missingClearmlAnnotations(entity);
  if (missing.length > 0) {
    return <MissingAnnotationEmptyState annotation={missing} />;
  }
  return (
    <TenantHealthCard
      entityRef={stringifyEntityRef(entity)}
      refreshIntervalSeconds={props.refreshIntervalSeconds ?? 30}
    />
  );
}
