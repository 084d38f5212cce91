import { ComponentType, PropsWithChildren } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import {
  day2StageLabel,
  LifecycleStage,
  LifecycleStageId,
  LifecycleStageState,
  TenantLifecycle,
} from '@clearml-openshift/plugin-clearml-common';

const STAGE_TITLES: Record<LifecycleStageId, string> = {
  request: 'Request',
  pullRequest: 'Pull request',
  sync: 'GitOps sync',
  rollout: 'Rollout',
  change: 'Change',
  upgrade: 'Upgrade',
  retire: 'Retire',
};

const STATE_DISPLAY: Record<
  LifecycleStageState,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  done: { label: 'Done', Icon: StatusOK },
  active: { label: 'In progress', Icon: StatusRunning },
  failed: { label: 'Stuck', Icon: StatusError },
  pending: { label: 'Not yet', Icon: StatusPending },
  unknown: { label: 'Unknown', Icon: StatusAborted },
};

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  stage: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1),
    alignItems: 'baseline',
    padding: theme.spacing(0.25, 0),
  },
  current: { fontWeight: theme.typography.fontWeightMedium as number },
  title: { minWidth: '7.5em' },
  unavailable: {
    flexBasis: '100%',
    paddingLeft: '7.5em',
    color: theme.palette.text.secondary,
  },
}));

function Stage(props: { stage: LifecycleStage; current: boolean }) {
  const classes = useStyles();
  const { stage } = props;
  const display = STATE_DISPLAY[stage.state] ?? STATE_DISPLAY.unknown;
  const { Icon } = display;
  // A day-2 stage reads as what the tenant is doing: change pending review, upgrading, retiring, retired.
  const label =
    (stage.state !== 'unknown' && stage.state !== 'pending'
      ? day2StageLabel(stage)
      : undefined) ?? display.label;
  return (
    <li
      className={`${classes.stage} ${props.current ? classes.current : ''}`}
      aria-current={props.current ? 'step' : undefined}
      aria-label={`${STAGE_TITLES[stage.id] ?? stage.id}: ${label}`}
    >
      <span className={classes.title}>
        <Icon>{STAGE_TITLES[stage.id] ?? stage.id}</Icon>
      </span>
      <span>
        {stage.url ? (
          <Link to={stage.url}>{stage.summary}</Link>
        ) : (
          stage.summary
        )}
      </span>
      {stage.unavailable && (
        <Typography
          variant="body2"
          component="span"
          className={classes.unavailable}
        >
          Could not read: {stage.unavailable}
        </Typography>
      )}
    </li>
  );
}

/** From request to running: each stage with its state, where to look, and what could not be read. */
export function LifecycleStages(props: {
  lifecycle: TenantLifecycle;
  statusReason?: string;
}) {
  const classes = useStyles();
  return (
    <>
      {props.statusReason && (
        <Typography variant="body2">{props.statusReason}</Typography>
      )}
      <ol className={classes.list} aria-label="From request to running">
        {props.lifecycle.stages.map(stage => (
          <Stage
            key={stage.id}
            stage={stage}
            current={stage.id === props.lifecycle.current}
          />
        ))}
      </ol>
    </>
  );
}
