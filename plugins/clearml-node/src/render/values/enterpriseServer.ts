/**
 * Values for the private `clearml-enterprise` chart, as ClearML's OpenShift
 * guide ("Security Context Configuration") gives them, with the
 * applications' reference URLs corrected: the guide's
 * `http://clearml-enterprise-webserver:8080` names no Service of the chart (its
 * own Route targets `clearml-clearml-enterprise-webserver`).
 */
import {
  serverNames,
  Tenant,
  tenantHosts,
  tenantUrls,
} from '@clearml-openshift/plugin-clearml-common';
import { inClusterServerUrls } from './serviceUrls';
import { dependencyValues } from './dependencies';
import {
  ENTERPRISE_CONTAINER_BASH_SCRIPT,
  HOME_TMP_ENV,
  START_AGENT_SCRIPT_PATH_ENV,
} from './enterpriseScripts';
import {
  FILESERVER_INGRESS_ANNOTATIONS,
  serverIngressValues,
} from './exposure';
import { ValuesPart } from './files';
import { restrictedContainerContext } from './securityContexts';

/** The guide's limit on concurrently running application pods. */
export const CLEARML_APPLICATIONS_MAX_PODS = 20;

export function enterpriseServerValues(tenant: Tenant): ValuesPart {
  const hosts = tenantHosts(tenant.domain);
  const urls = tenantUrls(tenant.domain);
  const inCluster = inClusterServerUrls(
    'enterprise',
    tenant.releaseName,
    tenant.namespace,
  );
  const dependencies = dependencyValues(tenant);
  return {
    values: {
      apiserver: { ingress: serverIngressValues(tenant, hosts.api) },
      fileserver: {
        ingress: serverIngressValues(
          tenant,
          hosts.files,
          FILESERVER_INGRESS_ANNOTATIONS,
        ),
      },
      webserver: {
        ingress: serverIngressValues(tenant, hosts.web),
        displayedServerURLs: { apiserver: urls.api, fileserver: urls.files },
      },
      clearmlApplications: {
        enabled: true,
        maxPods: CLEARML_APPLICATIONS_MAX_PODS,
        webServerUrlReferenceOverride: inCluster.webserver,
        fileServerUrlReferenceOverride: inCluster.fileserver,
        apiServerUrlReferenceOverride: inCluster.apiserver,
        containerSecurityContext: restrictedContainerContext(),
        containerCustomBashScript: ENTERPRISE_CONTAINER_BASH_SCRIPT,
        extraEnvs: [START_AGENT_SCRIPT_PATH_ENV, HOME_TMP_ENV],
      },
      ...dependencies.values,
    },
    deviations: [
      `clearmlApplications.*UrlReferenceOverride point at the chart's real Services (e.g. ${inCluster.webserver}); ClearML's OpenShift guide's http://clearml-enterprise-webserver:8080 names no Service of release '${tenant.releaseName}' (${serverNames('enterprise', tenant.releaseName).services.webserver})`,
      ...dependencies.deviations,
    ],
  };
}
