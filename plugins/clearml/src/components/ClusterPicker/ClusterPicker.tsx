/**
 * `ui:field: ClearmlClusterPicker`: a select of the clusters configured in the
 * backend (never hard-coded in the template). Its value is the cluster name,
 * which the template passes to the annotations and the grant step.
 */
import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';
import { useClusters } from './useClusters';

/** One line per cluster: its name, apps domain and whether grants can be applied from the form. */
export function clusterLabel(cluster: ClusterSummary): string {
  const domain = cluster.appsDomain ? `apps domain ${cluster.appsDomain}` : 'no apps domain configured';
  const grants = cluster.canGrant ? 'SCC grants can be applied' : 'SCC grants by a cluster admin only';
  return `${cluster.name} (${domain}; ${grants})`;
}

export const ClusterPicker = (props: FieldExtensionComponentProps<string>) => {
  const { onChange, formData, schema, rawErrors, required, idSchema } = props;
  const { clusters, loading, error } = useClusters();
  const id = idSchema?.$id ?? 'clearml-cluster';
  const selected = clusters?.find(c => c.name === formData);

  // The scaffolder's field template already shows ui:help; this line is for what only the field knows.
  let helperText: string | undefined;
  // A ResponseError keeps the backend's own message as its cause.
  if (error) helperText = `Could not load the clusters from the ClearML backend: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  else if (clusters && clusters.length === 0) helperText = 'No cluster is configured (clearml.clusters in the app config).';
  else if (selected && !selected.canGrant) {
    helperText = `${selected.name} has no grant credential: "apply SCC grants now" cannot be used there; a cluster admin applies them.`;
  }

  return (
    <TextField
      id={id}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? 'Cluster'}
      required={required}
      disabled={loading || !!error}
      value={formData ?? ''}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">{loading ? 'Loading clusters…' : 'Choose a cluster'}</option>
      {(clusters ?? []).map(cluster => (
        <option key={cluster.name} value={cluster.name}>
          {clusterLabel(cluster)}
        </option>
      ))}
    </TextField>
  );
};
