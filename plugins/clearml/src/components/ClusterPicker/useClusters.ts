import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef } from '../../api';

/** The clusters the clearml backend has configured (`GET /api/clearml/v1/clusters`). */
export function useClusters(): {
  clusters?: ClusterSummary[];
  loading: boolean;
  error?: Error;
} {
  const api = useApi(clearmlApiRef);
  const { value, loading, error } = useAsync(() => api.getClusters(), [api]);
  return { clusters: value, loading, error };
}
