/**
 * In-cluster URLs of a tenant's server Services. Clients inside the cluster
 * (the k8s glue agent, its task pods, ClearML applications) use these rather
 * than the public Routes: no trip out through the router and no need to trust
 * its certificate.
 */
import {
  Edition,
  serverNames,
  ServerComponent,
} from '@clearml-openshift/plugin-clearml-common';

/**
 * `http://<service>.<namespace>.svc:<service port>` per server component.
 *
 * @public
 */
export function inClusterServerUrls(
  edition: Edition,
  release: string,
  namespace: string,
): Record<ServerComponent, string> {
  const names = serverNames(edition, release);
  const url = (component: ServerComponent) =>
    `http://${names.services[component]}.${namespace}.svc:${names.servicePorts[component]}`;
  return {
    apiserver: url('apiserver'),
    fileserver: url('fileserver'),
    webserver: url('webserver'),
  };
}
