/**
 * Values for the k8s glue agent (`clearml-agent` 5.3.0, or the private
 * `clearml-enterprise-agent`). The agent and its task pods run in the cluster,
 * so they reach the api and file servers through their Services: no trip out
 * through the router, no need to trust its certificate. The web URL is only
 * printed as links for people, so it is the public one.
 */
import { inClusterServerUrls, Tenant, tenantUrls } from '@clearml-openshift/plugin-clearml-common';
import { ENTERPRISE_CONTAINER_BASH_SCRIPT, HOME_TMP_ENV, START_AGENT_SCRIPT_PATH_ENV } from './enterpriseScripts';
import { ValuesPart } from './files';
import { restrictedContainerContext } from './securityContexts';

export function agentValues(tenant: Tenant): ValuesPart {
  const inCluster = inClusterServerUrls(tenant.edition, tenant.releaseName, tenant.namespace);
  const glue = {
    apiServerUrlReference: inCluster.apiserver,
    fileServerUrlReference: inCluster.fileserver,
    webServerUrlReference: tenantUrls(tenant.domain).web,
    queue: tenant.agent.queue,
    createQueueIfNotExists: true,
  };
  const deviations = [
    `agentk8sglue.apiServerUrlReference/fileServerUrlReference are the in-cluster Services (${inCluster.apiserver}, ${inCluster.fileserver}) instead of the public URLs, so task pods need neither the router nor trust in its certificate`,
  ];
  if (tenant.edition === 'oss') return { values: { agentk8sglue: glue }, deviations };
  // Seed 000's block: the glue pod and every task pod under restricted-v2, HOME and the start script in /tmp.
  return {
    values: {
      agentk8sglue: {
        ...glue,
        containerSecurityContext: restrictedContainerContext(),
        containerCustomBashScript: ENTERPRISE_CONTAINER_BASH_SCRIPT,
        extraEnvs: [START_AGENT_SCRIPT_PATH_ENV],
        basePodTemplate: {
          env: [HOME_TMP_ENV],
          containerSecurityContext: restrictedContainerContext(),
        },
      },
    },
    deviations,
  };
}
