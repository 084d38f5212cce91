/**
 * Values for the open-source `clearml` chart (7.14.4): ClusterIP Services, the
 * public URLs the webserver hands to clients, the exposure, and the
 * dependencies' security contexts.
 */
import {
  Tenant,
  tenantHosts,
  tenantUrls,
} from '@clearml-openshift/plugin-clearml-common';
import { dependencyValues } from './dependencies';
import {
  CREDENTIAL_DEVIATIONS,
  serverCredentialEnv,
  serverCredentialValues,
} from './credentials';
import { ValuesPart } from './files';
import {
  FILESERVER_INGRESS_ANNOTATIONS,
  serverIngressValues,
} from './exposure';

export function ossServerValues(tenant: Tenant): ValuesPart {
  const hosts = tenantHosts(tenant.domain);
  const urls = tenantUrls(tenant.domain);
  const dependencies = dependencyValues(tenant);
  // The chart's NodePort Services pin nodePorts 30008/30080/30081: a second tenant in the cluster would collide.
  const component = (host: string, annotations?: Record<string, string>) => ({
    service: { type: 'ClusterIP' },
    ingress: serverIngressValues(tenant, host, annotations),
  });
  return {
    values: {
      clearml: {
        clientConfigurationApiUrl: urls.api,
        clientConfigurationFilesUrl: urls.files,
        ...serverCredentialValues(tenant),
      },
      apiserver: {
        ...component(hosts.api),
        extraEnvs: serverCredentialEnv(),
      },
      fileserver: component(hosts.files, FILESERVER_INGRESS_ANNOTATIONS),
      webserver: component(hosts.web),
      ...dependencies.values,
    },
    deviations: [
      CREDENTIAL_DEVIATIONS.server,
      "apiserver, fileserver and webserver Services are ClusterIP instead of the chart's NodePort with fixed nodePorts 30008/30080/30081, which collide between tenants in one cluster",
      ...dependencies.deviations,
    ],
  };
}
