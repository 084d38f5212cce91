/**
 * `ui:field: ClearmlStorageClass`: the StorageClasses of the picked cluster
 * (read by the clearml backend with the cluster's read credential), the
 * default one marked and chosen until the user picks another. Every claim of
 * the tenant names the class; the template's first step refuses one the
 * cluster does not have. It also states where images come from (the
 * platform's `clearml.images`), which the review and the pull request repeat.
 */
import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import type {
  ClusterSummary,
  StorageClassSummary,
} from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef } from '../../api';
import { useClusters } from './useClusters';

/** One option: the name, its provisioner, and whether it is the cluster's default. */
export function storageClassLabel(storageClass: StorageClassSummary): string {
  return `${storageClass.name} (${storageClass.provisioner || 'no provisioner'}${storageClass.default ? ', default' : ''})`;
}

/** Where the tenant's images come from, in one sentence. */
export function imagesSentence(cluster: ClusterSummary | undefined): string {
  const images = cluster?.images;
  const from = images?.registry
    ? `Images are pulled through the mirror ${images.registry}`
    : 'Images are pulled from their public registries (docker.io, docker.elastic.co)';
  const secret = images?.pullSecret
    ? ` with the pull secret ${images.pullSecret}`
    : '';
  return `${from}${secret}.`;
}

/** Why the chosen class cannot be used on the cluster, or undefined. */
export function storageClassProblem(
  cluster: ClusterSummary | undefined,
  value: string | undefined,
): string | undefined {
  if (!cluster?.storageClasses) return undefined;
  if (value && !cluster.storageClasses.some(c => c.name === value))
    return `${cluster.name} has no StorageClass ${value}: its claims would stay Pending.`;
  if (!value && !cluster.storageClasses.some(c => c.default))
    return `${cluster.name} has no default StorageClass: choose one, or its claims stay Pending.`;
  return undefined;
}

/** The field's validation: the class must exist on the chosen cluster (the first step refuses it too). */
export const validateStorageClass: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  const formData = (context as { formData?: Record<string, unknown> }).formData;
  const clusterName =
    typeof formData?.cluster === 'string' ? formData.cluster : undefined;
  if (!clusterName) return;
  const clusters = await context.apiHolder.get(clearmlApiRef)?.getClusters();
  const problem = storageClassProblem(
    clusters?.find(c => c.name === clusterName),
    value,
  );
  if (problem) validation.addError(problem);
};

export const StorageClassField = (
  props: FieldExtensionComponentProps<string>,
) => {
  const {
    onChange,
    formData,
    schema,
    rawErrors,
    required,
    idSchema,
    formContext,
  } = props;
  const values = ((
    formContext as { formData?: Record<string, unknown> } | undefined
  )?.formData ?? {}) as Record<string, unknown>;
  const clusterName =
    typeof values.cluster === 'string' ? values.cluster : undefined;
  const { clusters, loading, error } = useClusters();
  const cluster = clusters?.find(c => c.name === clusterName);
  const classes = cluster?.storageClasses ?? [];
  const fallback = classes.find(c => c.default)?.name;
  // A class the user chose is kept; otherwise the field follows the cluster's default.
  const [chosen, setChosen] = useState(false);

  useEffect(() => {
    if (!chosen && fallback && formData !== fallback) onChange(fallback);
  }, [chosen, fallback, formData, onChange]);

  let helperText: string;
  if (error)
    helperText = `Could not load the clusters from the ClearML backend: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  else if (!cluster) helperText = 'Choose a cluster first.';
  else if (cluster.storageClassesError)
    helperText = `Could not list the StorageClasses of ${cluster.name}: ${cluster.storageClassesError}`;
  else
    helperText =
      storageClassProblem(cluster, formData) ?? imagesSentence(cluster);

  return (
    <TextField
      id={idSchema?.$id ?? 'clearml-storage-class'}
      select
      fullWidth
      margin="normal"
      label={schema.title ?? 'StorageClass'}
      required={required}
      disabled={loading || !!error || !cluster}
      value={formData ?? ''}
      error={
        !!error ||
        (rawErrors?.length ?? 0) > 0 ||
        !!storageClassProblem(cluster, formData)
      }
      helperText={helperText}
      onChange={event => {
        setChosen(true);
        onChange(event.target.value || undefined);
      }}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">
        {loading ? 'Loading StorageClasses…' : 'Choose a StorageClass'}
      </option>
      {classes.map(storageClass => (
        <option key={storageClass.name} value={storageClass.name}>
          {storageClassLabel(storageClass)}
        </option>
      ))}
    </TextField>
  );
};
