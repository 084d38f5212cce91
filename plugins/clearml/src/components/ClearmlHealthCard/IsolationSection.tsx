import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { StatusOK, StatusWarning } from '@backstage/core-components';
import { TenantIsolation } from '@clearml-openshift/plugin-clearml-common';
import { ProblemList } from './ProblemList';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: { marginTop: theme.spacing(0.5) },
  quota: {
    borderCollapse: 'collapse',
    marginTop: theme.spacing(0.5),
    '& th, & td': { textAlign: 'left', paddingRight: theme.spacing(2) },
  },
}));

function policiesLine(isolation: TenantIsolation): string {
  const { expected, matching, missing, changed } = isolation.networkPolicies;
  if (missing.length === expected.length) return 'No NetworkPolicies';
  const parts = [
    `${matching.length} of ${expected.length} NetworkPolicies as rendered`,
  ];
  if (missing.length) parts.push(`missing: ${missing.join(', ')}`);
  if (changed.length) parts.push(`changed: ${changed.join(', ')}`);
  return parts.join('; ');
}

function CredentialsStatus(props: { isolation: TenantIsolation }) {
  const { isolation } = props;
  if (isolation.credentials === 'chart-default')
    return <StatusWarning>Chart's public default credentials</StatusWarning>;
  if (isolation.credentials === 'tenant')
    return (
      <StatusOK>
        Own credentials (Secret {isolation.credentialsSecret})
      </StatusOK>
    );
  return <StatusWarning>Credentials not known</StatusWarning>;
}

/** The tenant's NetworkPolicies, quota use and credentials, with what to do when one is missing. */
export function IsolationSection(props: { isolation: TenantIsolation }) {
  const classes = useStyles();
  const { isolation } = props;
  if (isolation.unavailable) {
    return (
      <Typography variant="body2" role="note">
        <StatusWarning>Isolation unknown</StatusWarning> {isolation.unavailable}
      </Typography>
    );
  }
  const { expected, matching } = isolation.networkPolicies;
  const policiesOk = matching.length === expected.length;
  return (
    <>
      <ul className={classes.list} aria-label="Isolation">
        <li className={classes.row}>
          <Typography variant="body2" component="span">
            {policiesOk ? (
              <StatusOK>{policiesLine(isolation)}</StatusOK>
            ) : (
              <StatusWarning>{policiesLine(isolation)}</StatusWarning>
            )}
          </Typography>
        </li>
        <li className={classes.row}>
          <Typography variant="body2" component="span">
            <CredentialsStatus isolation={isolation} />
          </Typography>
        </li>
      </ul>
      {isolation.quota && (
        <table
          className={classes.quota}
          aria-label={`Quota ${isolation.quota.name}`}
        >
          <thead>
            <tr>
              <th>
                <Typography variant="caption">Quota</Typography>
              </th>
              <th>
                <Typography variant="caption">used / hard</Typography>
              </th>
            </tr>
          </thead>
          <tbody>
            {isolation.quota.resources.map(r => (
              <tr key={r.key}>
                <td>
                  <Typography variant="body2">{r.label}</Typography>
                </td>
                <td>
                  <Typography variant="body2">
                    {r.used ?? '?'} / {r.hard ?? '?'}
                  </Typography>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemList problems={isolation.problems} label="Isolation problems" />
    </>
  );
}
