/**
 * Values for the k8s glue agent (`clearml-agent` 5.3.2, or the private
 * `clearml-enterprise-agent`). The agent and its task pods run in the cluster,
 * so they reach the api, file and web servers through their Services: no trip
 * out through the router, no need to trust its certificate. The web URL is not
 * only a link for people: the chart's `init-k8s-glue` init container loops on
 * `curl <webServerUrlReference>/` (verifying TLS) until it answers 200, so a
 * public URL behind a router certificate the pod does not trust hangs the agent
 * at start.
 */
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import { inClusterServerUrls } from './serviceUrls';
import {
  ENTERPRISE_CONTAINER_BASH_SCRIPT,
  HOME_TMP_ENV,
  START_AGENT_SCRIPT_PATH_ENV,
} from './enterpriseScripts';
import { agentCredentialValues, CREDENTIAL_DEVIATIONS } from './credentials';
import { ValuesPart } from './files';
import { restrictedContainerContext } from './securityContexts';

export function agentValues(tenant: Tenant): ValuesPart {
  const inCluster = inClusterServerUrls(
    tenant.edition,
    tenant.releaseName,
    tenant.namespace,
  );
  const glue = {
    apiServerUrlReference: inCluster.apiserver,
    fileServerUrlReference: inCluster.fileserver,
    webServerUrlReference: inCluster.webserver,
    queue: tenant.agent.queue,
    createQueueIfNotExists: true,
  };
  const deviations = [
    `agentk8sglue.apiServerUrlReference/fileServerUrlReference are the in-cluster Services (${inCluster.apiserver}, ${inCluster.fileserver}) instead of the public URLs, so task pods need neither the router nor trust in its certificate`,
    `agentk8sglue.webServerUrlReference is the in-cluster webserver Service (${inCluster.webserver}) instead of the public URL: the chart's init-k8s-glue container waits for it to answer 200 and verifies its certificate, so the public URL hangs the agent at start when the router's certificate is not trusted in the pod; links the agent prints point to that Service`,
  ];
  if (tenant.edition === 'oss')
    return {
      values: { clearml: agentCredentialValues(), agentk8sglue: glue },
      deviations: [CREDENTIAL_DEVIATIONS.agent, ...deviations],
    };
  // The block of ClearML's OpenShift guide: the glue pod and every task pod under restricted-v2, HOME and the start script in /tmp.
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
