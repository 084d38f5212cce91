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

/**
 * Where the web app in the browser finds the API and file servers. Without
 * these it guesses from its own origin: `app.` replaced by `api.`/`files.`
 * (clearml-web src/app/app.constants.ts, guessAPIServerURL and
 * updateHttpUrlBaseConstant), which names no host of `<label>-app.<parent>`.
 * The webserver image writes every `WEBSERVER__<key>` variable, parsed as JSON,
 * into the `configuration.json` the app loads at start
 * (clearml-server docker/build/internal_files/entrypoint.sh and
 * update_from_env.py); `apiBaseUrl` and `fileBaseUrl` are the keys the app reads.
 */
export function webAppServerEnv(urls: {
  api: string;
  files: string;
}): Array<{ name: string; value: string }> {
  return [
    { name: 'WEBSERVER__apiBaseUrl', value: JSON.stringify(urls.api) },
    { name: 'WEBSERVER__fileBaseUrl', value: JSON.stringify(urls.files) },
  ];
}

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
      webserver: {
        ...component(hosts.web),
        extraEnvs: webAppServerEnv(urls),
      },
      ...dependencies.values,
    },
    deviations: [
      CREDENTIAL_DEVIATIONS.server,
      `webserver.extraEnvs tells the web app its API and file servers (WEBSERVER__apiBaseUrl ${urls.api}, WEBSERVER__fileBaseUrl ${urls.files}): the hosts are one label under the apps domain, where the app's own guess (app. replaced by api./files.) finds nothing`,
      "apiserver, fileserver and webserver Services are ClusterIP instead of the chart's NodePort with fixed nodePorts 30008/30080/30081, which collide between tenants in one cluster",
      ...dependencies.deviations,
    ],
  };
}
