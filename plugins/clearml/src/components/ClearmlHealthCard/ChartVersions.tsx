import { makeStyles } from '@material-ui/core/styles';
import { StatusOK, StatusWarning } from '@backstage/core-components';
import {
  chartVersionText,
  TenantChartVersion,
} from '@clearml-openshift/plugin-clearml-common';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: { padding: theme.spacing(0.25, 0) },
}));

/** The charts the tenant's Applications run: "Chart clearml 7.14.1 (configured 7.14.4)" marked when drifted. */
export function ChartVersions(props: { charts: TenantChartVersion[] }) {
  const classes = useStyles();
  return (
    <ul className={classes.list} aria-label="Chart versions">
      {props.charts.map(chart => {
        const text = `Chart ${chartVersionText(chart)}`;
        const Icon = chart.drift ? StatusWarning : StatusOK;
        return (
          <li
            key={`${chart.application}/${chart.chart}`}
            className={classes.item}
            aria-label={`${text}${chart.drift ? ': not the configured version' : ''}`}
            title={`Argo CD Application ${chart.application}`}
          >
            <Icon>{text}</Icon>
          </li>
        );
      })}
    </ul>
  );
}
