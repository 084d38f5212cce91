/**
 * `ui:field: ClearmlClusterPicker`: a select of the clusters configured in the
 * backend (never hard-coded in the template). Its value is the cluster name,
 * which the template passes to the annotations and the grant step.
 */
import TextField from '@material-ui/core/TextField';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  ClusterSummary,
  clusterChartsRefusal,
} from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef } from '../../api';
import { useClusters } from './useClusters';

/** One line per cluster: its name, apps domain, Kubernetes version and whether grants can be applied from the form. */
export function clusterLabel(cluster: ClusterSummary): string {
  const domain = cluster.appsDomain
    ? `apps domain ${cluster.appsDomain}`
    : 'no apps domain configured';
  const grants = cluster.canGrant
    ? 'SCC grants can be applied'
    : 'SCC grants by a cluster admin only';
  let version = '';
  if (cluster.kubernetesVersion) {
    version = `; Kubernetes ${cluster.kubernetesVersion}${clusterChartsRefusal(cluster) ? ', refused by the charts' : ''}`;
  }
  return `${cluster.name} (${domain}${version}; ${grants})`;
}

/**
 * The field's validation: a cluster whose Kubernetes version the configured
 * charts refuse cannot be submitted (the render action would refuse it too).
 */
export const validateClusterCharts: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  if (!value) return;
  const clusters = await context.apiHolder.get(clearmlApiRef)?.getClusters();
  const refusal =
    clusters &&
    clusterChartsRefusal(
      clusters.find(c => c.name === value) ?? { name: value, canGrant: false },
    );
  if (refusal) validation.addError(refusal);
};

export const ClusterPicker = (props: FieldExtensionComponentProps<string>) => {
  const { onChange, formData, schema, rawErrors, required, idSchema } = props;
  const { clusters, loading, error } = useClusters();
  const id = idSchema?.$id ?? 'clearml-cluster';
  const selected = clusters?.find(c => c.name === formData);

  // The scaffolder's field template already shows ui:help; this line is for what only the field knows.
  let helperText: string | undefined;
  // A ResponseError keeps the backend's own message as its cause.
  if (error)
    helperText = `Could not load the clusters from the ClearML backend: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  else if (clusters && clusters.length === 0)
    helperText =
      'No cluster is configured (clearml.clusters in the app config).';
  else if (selected && clusterChartsRefusal(selected))
    helperText = clusterChartsRefusal(selected);
  else if (
    selected?.kubeVersionOverride &&
    selected.charts?.some(c => c.accepts === false)
  ) {
    helperText = `The charts refuse Kubernetes ${selected.kubernetesVersion}: they are rendered for ${selected.kubeVersionOverride} instead (a platform setting); the pull request says so.`;
  } else if (selected && !selected.canGrant) {
    helperText = `${selected.name} has no grant credential: "apply SCC grants now" cannot be used there; the pull request's RoleBindings are applied by Argo CD when it is merged.`;
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
      error={
        !!error ||
        (rawErrors?.length ?? 0) > 0 ||
        (!!selected && !!clusterChartsRefusal(selected))
      }
      helperText={helperText}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">
        {loading ? 'Loading clusters…' : 'Choose a cluster'}
      </option>
      {(clusters ?? []).map(cluster => (
        <option key={cluster.name} value={cluster.name}>
          {clusterLabel(cluster)}
        </option>
      ))}
    </TextField>
  );
};
