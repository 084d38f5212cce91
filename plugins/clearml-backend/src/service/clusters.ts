/**
 * `GET /v1/clusters`: the configured clusters as the template's cluster picker
 * needs them — a name, the apps domain the default tenant domain is built
 * from, and whether SCC grants can be applied there. Never a URL, a token or
 * a CA: those stay in the backend's config.
 */
import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';
import { ClearmlCluster } from '@clearml-openshift/plugin-clearml-node';

/** What the picker may know about a cluster. */
export function clusterSummary(cluster: ClearmlCluster): ClusterSummary {
  return {
    name: cluster.name,
    ...(cluster.appsDomain ? { appsDomain: cluster.appsDomain } : {}),
    // clearml:scc:grant refuses a cluster without a grant credential; the form says so up front.
    canGrant: Boolean(cluster.grantToken),
  };
}

export function createClustersRouter(options: {
  httpAuth: HttpAuthService;
  clusters: readonly ClearmlCluster[];
}): express.Router {
  const { httpAuth, clusters } = options;
  const router = Router();
  router.get('/v1/clusters', async (req, res) => {
    // Signed-in users and backends only: the cluster names are internal.
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(clusters.map(clusterSummary));
  });
  return router;
}
