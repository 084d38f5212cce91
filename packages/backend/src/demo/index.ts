/**
 * The local instance's demo cluster: the Kubernetes API double on a fixed
 * loopback port, loaded from `cluster/*.yaml`, with a read-only token (the
 * health card's) and a grant token holding exactly the documented granter
 * ClusterRole (docs/rbac); and the ClearML server double standing in for the
 * cluster's router in front of the demo tenants' public hosts.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  serverNames,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';
import {
  AWS_STORAGE_CLASSES_FILE,
  ClearmlServerDouble,
  KUBERNETES_READ_ONLY_RULES,
  KubernetesApiDouble,
  KubernetesPolicyRule,
  OPENSHIFT_KUBERNETES_VERSIONS,
  OpenshiftKubernetesVersion,
} from '@internal/clearml-test-utils';
import { DEMO_BLOCKED, DEMO_TENANTS } from './demoTenants';

export {
  DEMO_CLUSTER,
  DEMO_APPS_DOMAIN,
  DEMO_TENANTS,
  DEMO_HEALTHY,
  DEMO_BLOCKED,
  demoTenantEntity,
} from './demoTenants';

const CLUSTER_DIR = path.join(__dirname, 'cluster');
const GRANTER_CLUSTER_ROLE = path.resolve(
  __dirname,
  '../../../../docs/rbac/clearml-scc-granter.clusterrole.yaml',
);

/** The rules of the ClusterRole docs/rbac tells admins to give the grant credential. */
export function granterRules(): KubernetesPolicyRule[] {
  return (
    yaml.load(fs.readFileSync(GRANTER_CLUSTER_ROLE, 'utf8')) as {
      rules: KubernetesPolicyRule[];
    }
  ).rules;
}

export interface DemoClusterOptions {
  /** Loopback port of the API server; 0 for a free one. */
  port: number;
  /** The cluster's read-only token (`clearml.clusters[].serviceAccountToken`). */
  readToken?: string;
  /** The cluster's grant token (`clearml.clusters[].grantToken`). */
  grantToken?: string;
  /** What its `GET /version` answers: `1.31`, `1.32` or `1.33` (OpenShift 4.18, 4.19, 4.20); default `1.33`. */
  kubernetesVersion?: DemoKubernetesVersion;
}

/**
 * The Kubernetes versions the demo cluster can play, each the one of an OpenShift release the product supports
 * (OpenShift 4.18 ships Kubernetes 1.31, 4.19 ships 1.32, 4.20 ships 1.33), as `GET /version` reports it.
 */
export const DEMO_KUBERNETES_VERSIONS = OPENSHIFT_KUBERNETES_VERSIONS;
export type DemoKubernetesVersion = OpenshiftKubernetesVersion;
export const DEFAULT_DEMO_KUBERNETES_VERSION: DemoKubernetesVersion = '1.33';

/** `clearml.demo.kubernetesVersion` checked: one of the three, or an error naming the key. */
export function demoKubernetesVersion(
  value: string | undefined,
): DemoKubernetesVersion {
  if (value === undefined) return DEFAULT_DEMO_KUBERNETES_VERSION;
  if (!(value in DEMO_KUBERNETES_VERSIONS)) {
    throw new Error(
      `Invalid config at clearml.demo.kubernetesVersion: '${value}' is not one of ${Object.keys(DEMO_KUBERNETES_VERSIONS).join(', ')}`,
    );
  }
  return value as DemoKubernetesVersion;
}

/** Starts the demo cluster's API server with every `cluster/*.yaml` loaded, and the StorageClasses of a cluster on AWS. */
export async function startDemoCluster(
  options: DemoClusterOptions,
): Promise<KubernetesApiDouble> {
  const tokens = [
    ...(options.readToken
      ? [
          {
            name: 'clearml-health-reader',
            token: options.readToken,
            rules: KUBERNETES_READ_ONLY_RULES,
          },
        ]
      : []),
    ...(options.grantToken
      ? [
          {
            name: 'clearml-scc-granter',
            token: options.grantToken,
            rules: granterRules(),
          },
        ]
      : []),
  ];
  const double = await KubernetesApiDouble.start({
    port: options.port,
    tokens,
    kubernetesVersion:
      DEMO_KUBERNETES_VERSIONS[
        options.kubernetesVersion ?? DEFAULT_DEMO_KUBERNETES_VERSION
      ].gitVersion,
  });
  for (const file of fs
    .readdirSync(CLUSTER_DIR)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    double.loadFile(path.join(CLUSTER_DIR, file));
  }
  double.loadFile(AWS_STORAGE_CLASSES_FILE);
  return double;
}

/**
 * The demo cluster's router: the demo tenants' hosts answer as ClearML does,
 * except the blocked tenant's web app, which has no ready pod (503, as the
 * OpenShift router answers then). Other hosts go to the network as usual.
 */
export async function startDemoRouter(): Promise<{
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}> {
  const server = await ClearmlServerDouble.start();
  const blockedWeb = tenantHosts(DEMO_BLOCKED.domain).web;
  server.answer(blockedWeb, 503);
  const served = new Set(
    DEMO_TENANTS.flatMap(t => {
      const hosts = tenantHosts(t.domain);
      return [hosts.api, hosts.files, hosts.web];
    }),
  );
  const viaRouter = server.fetchVia();
  return {
    fetch: (url, init) =>
      served.has(new URL(url).hostname)
        ? viaRouter(url, init)
        : fetch(url, init),
    close: () => server.close(),
  };
}

/** Names the demo's blocked workload, for tests that check the card. */
export function blockedWorkload() {
  const names = serverNames(DEMO_BLOCKED.edition, DEMO_BLOCKED.release);
  return {
    deployment: names.services.webserver,
    serviceAccount: names.serviceAccounts.webserver,
    namespace: DEMO_BLOCKED.namespace,
  };
}
