/**
 * The StorageClass check of the template's first step: the class the form
 * chose must exist on the cluster, and without one the cluster's default is
 * named (refused when there is none), before any file is written. Read with
 * the cluster's read credential (`list storageclasses`).
 */
import { Config } from '@backstage/config';
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import {
  describeKubernetesError,
  KubernetesClientFactory,
  kubernetesClientFactory,
  listStorageClasses,
  readClearmlClusters,
  requireCluster,
  resolveStorageClass,
} from '@clearml-openshift/plugin-clearml-node';

export function createStorageClassCheck(options: {
  config?: Config;
  kubernetesClientFactory?: KubernetesClientFactory;
}) {
  const clusters = options.config ? readClearmlClusters(options.config) : [];
  const clientFactory =
    options.kubernetesClientFactory ?? kubernetesClientFactory();
  return {
    /** The tenant with the StorageClass its claims will name on that cluster. */
    async resolve(tenant: Tenant, clusterName: unknown): Promise<Tenant> {
      const cluster = requireCluster(clusters, clusterName);
      let classes;
      try {
        classes = await listStorageClasses(clientFactory(cluster, 'read'));
      } catch (error) {
        throw new Error(
          `storageClassName: could not list the StorageClasses of '${cluster.name}' (GET /apis/storage.k8s.io/v1/storageclasses): ${describeKubernetesError(error, cluster).message}`,
        );
      }
      return {
        ...tenant,
        storageClassName: resolveStorageClass(
          classes,
          tenant.storageClassName,
          cluster.name,
        ),
      };
    },
  };
}
