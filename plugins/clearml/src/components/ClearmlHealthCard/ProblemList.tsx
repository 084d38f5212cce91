import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { StatusError, StatusWarning } from '@backstage/core-components';
import { HealthProblem } from '@clearml-openshift/plugin-clearml-common';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: theme.spacing(0.5, 0, 0), padding: 0 },
  problem: { marginTop: theme.spacing(1) },
  headline: {
    display: 'flex',
    alignItems: 'center',
    columnGap: theme.spacing(1),
  },
  message: { wordBreak: 'break-word' },
  hint: {
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
    borderLeft: `3px solid ${theme.palette.primary.main}`,
    backgroundColor: theme.palette.background.default,
    wordBreak: 'break-word',
  },
}));

/** A component's problems; the hint is what the user acts on, so it stands out. */
export function ProblemList(props: {
  problems: HealthProblem[];
  label?: string;
}) {
  const classes = useStyles();
  if (props.problems.length === 0) {
    return null;
  }
  return (
    <ul className={classes.list} aria-label={props.label ?? 'Problems'}>
      {props.problems.map((problem, index) => (
        <li key={`${problem.reason}-${index}`} className={classes.problem}>
          <Typography
            variant="body2"
            component="div"
            className={classes.headline}
          >
            {problem.severity === 'error' ? (
              <StatusError>Error</StatusError>
            ) : (
              <StatusWarning>Warning</StatusWarning>
            )}
            <strong>{problem.reason}</strong>
          </Typography>
          <Typography variant="body2" className={classes.message}>
            {problem.message}
          </Typography>
          {problem.hint && (
            <Box className={classes.hint} role="note" aria-label="How to fix">
              <Typography variant="body2">
                <strong>How to fix: </strong>
                {problem.hint}
              </Typography>
            </Box>
          )}
        </li>
      ))}
    </ul>
  );
}
