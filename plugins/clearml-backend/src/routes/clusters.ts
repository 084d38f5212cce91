/**
 * `GET /v1/clusters`: the configured clusters as the template's cluster picker
 * needs them — a name, the apps domain the default tenant domain is built
 * from, whether SCC grants can be applied there, and the cluster's Kubernetes
 * version with whether the configured charts accept it (so the form refuses a
 * cluster before anything is written). Never a URL, a token or a CA: those
 * stay in the backend's config.
 */
import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import type {
  ClusterSummary,
  ImageSettings,
} from '@clearml-openshift/plugin-clearml-common';
import {
  chartCompatibility,
  ChartsSettings,
  checkChartsOnCluster,
  ClearmlCluster,
  describeKubernetesError,
  KubernetesClientFactory,
  listStorageClasses,
  readKubernetesVersion,
} from '@clearml-openshift/plugin-clearml-node';

/** How long a cluster's version is reused: it changes with an upgrade, not between two form loads. */
export const CLUSTER_VERSION_CACHE_MS = 60_000;

/** What the picker may know about a cluster, without its version. */
export function clusterSummary(cluster: ClearmlCluster): ClusterSummary {
  return {
    name: cluster.name,
    ...(cluster.appsDomain ? { appsDomain: cluster.appsDomain } : {}),
    // clearml:scc:grant refuses a cluster without a grant credential; the form says so up front.
    canGrant: Boolean(cluster.grantToken),
  };
}

type VersionFields = Pick<
  ClusterSummary,
  | 'kubernetesVersion'
  | 'kubernetesVersionError'
  | 'charts'
  | 'kubeVersionOverride'
  | 'storageClasses'
  | 'storageClassesError'
>;

export function createClustersRouter(options: {
  httpAuth: HttpAuthService;
  clusters: readonly ClearmlCluster[];
  clientFactory: KubernetesClientFactory;
  charts: ChartsSettings;
  /** `clearml.images`, shown on the form's review. */
  images?: ImageSettings;
}): express.Router {
  const { httpAuth, clusters, clientFactory, charts } = options;
  const images = options.images ?? {};
  const cache = new Map<
    string,
    { at: number; fields: Promise<VersionFields> }
  >();
  const sources = Object.values(charts.sources);

  async function versionFields(
    cluster: ClearmlCluster,
  ): Promise<VersionFields> {
    if (!cluster.serviceAccountToken) {
      return {
        kubernetesVersionError:
          'no read credential (serviceAccountToken) is configured',
      };
    }
    const storage = await storageFields(cluster);
    try {
      const kubernetesVersion = await readKubernetesVersion(
        clientFactory(cluster, 'read'),
      );
      return {
        kubernetesVersion,
        charts: chartCompatibility(sources, kubernetesVersion),
        ...(await overrideField(cluster)),
        ...storage,
      };
    } catch (error) {
      return {
        kubernetesVersionError: describeKubernetesError(error, cluster).message,
        ...storage,
      };
    }
  }

  /** The kubeVersion the charts are rendered for on this cluster, as the template's first step will decide it. */
  async function overrideField(
    cluster: ClearmlCluster,
  ): Promise<Pick<ClusterSummary, 'kubeVersionOverride'>> {
    try {
      const check = await checkChartsOnCluster({
        cluster,
        charts: sources.map(source => ({ role: 'server', source })),
        settings: charts,
        clientFactory,
      });
      return check.kubeVersionOverride
        ? { kubeVersionOverride: check.kubeVersionOverride }
        : {};
    } catch {
      // Refused: the form says why from the charts' ranges.
      return {};
    }
  }

  async function storageFields(
    cluster: ClearmlCluster,
  ): Promise<Pick<ClusterSummary, 'storageClasses' | 'storageClassesError'>> {
    try {
      return {
        storageClasses: await listStorageClasses(
          clientFactory(cluster, 'read'),
        ),
      };
    } catch (error) {
      return {
        storageClassesError: describeKubernetesError(error, cluster).message,
      };
    }
  }

  function cachedVersionFields(
    cluster: ClearmlCluster,
  ): Promise<VersionFields> {
    const hit = cache.get(cluster.name);
    if (hit && Date.now() - hit.at < CLUSTER_VERSION_CACHE_MS)
      return hit.fields;
    const fields = versionFields(cluster);
    cache.set(cluster.name, { at: Date.now(), fields });
    return fields;
  }

  const router = Router();
  router.get('/v1/clusters', async (req, res) => {
    // Signed-in users and backends only: the cluster names are internal.
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const summaries = await Promise.all(
      clusters.map(async cluster => ({
        ...clusterSummary(cluster),
        ...(await cachedVersionFields(cluster)),
        ...(images.registry || images.pullSecret ? { images } : {}),
      })),
    );
    res.json(summaries);
  });
  return router;
}
