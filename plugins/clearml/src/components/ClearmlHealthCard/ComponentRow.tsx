import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { ComponentHealth } from '@clearml-openshift/plugin-clearml-common';
import { componentName } from './componentGroups';
import { HealthStatusIndicator } from './HealthStatusIndicator';
import { ProblemList } from './ProblemList';

const useStyles = makeStyles(theme => ({
  row: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  headline: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(2),
  },
  name: {
    fontWeight: theme.typography.fontWeightBold as number,
    minWidth: '9em',
  },
  detail: { wordBreak: 'break-word' },
}));

function RouteAdmission(props: {
  route: NonNullable<ComponentHealth['route']>;
}) {
  const { admitted, reason, message } = props.route;
  if (admitted === true) {
    return <>admitted</>;
  }
  if (admitted === null) {
    return <>not yet taken by a router</>;
  }
  const why = [reason, message].filter(Boolean).join(': ');
  return <strong>not admitted{why ? ` (${why})` : ''}</strong>;
}

function EndpointResult(props: {
  endpoint: NonNullable<ComponentHealth['endpoint']>;
}) {
  const { ok, httpStatus, latencyMs, error } = props.endpoint;
  const answer = httpStatus !== undefined ? `HTTP ${httpStatus}` : 'no answer';
  const timing = latencyMs !== undefined ? ` in ${latencyMs} ms` : '';
  return (
    <>
      {ok ? 'answers' : <strong>fails</strong>}: {answer}
      {timing}
      {error ? ` (${error})` : ''}
    </>
  );
}

/** One component of the tenant: status, readiness, Route, endpoint probe and its problems. */
export function ComponentRow(props: { component: ComponentHealth }) {
  const classes = useStyles();
  const { component } = props;
  const { workload, route, endpoint } = component;
  const name = componentName(component.id);
  return (
    <li className={classes.row} aria-label={name}>
      <Box className={classes.headline}>
        <Typography variant="body2" className={classes.name}>
          {name}
        </Typography>
        <Typography variant="body2" component="span">
          <HealthStatusIndicator status={component.status} />
        </Typography>
        {workload && (
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.detail}
          >
            {workload.ready}/{workload.desired} ready · {workload.kind}{' '}
            {workload.name}
          </Typography>
        )}
      </Box>
      {route && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.detail}
        >
          Route <Link to={route.url}>{route.host}</Link>{' '}
          <RouteAdmission route={route} />
        </Typography>
      )}
      {endpoint && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.detail}
        >
          Endpoint {endpoint.url} <EndpointResult endpoint={endpoint} />
        </Typography>
      )}
      <ProblemList problems={component.problems} />
    </li>
  );
}
