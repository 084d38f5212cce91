/**
 * What a tenant's NetworkPolicies select and open, from the labels the charts
 * really put on their pods (checked against `helm template` of the packaged
 * charts in test/src/charts/networkIsolation.test.ts):
 *
 * - clearml's apiserver, fileserver and webserver pods: `app.kubernetes.io/name`
 *   = the chart's fullname, `app.kubernetes.io/instance` = `<fullname>-<component>`;
 *   the async-delete worker: the same name, instance = the release.
 * - the Bitnami subcharts: name `mongodb` / `redis`, instance = the release.
 * - Elastic's subchart: `app: clearml-elastic-master`, `release: <release>`.
 * - the k8s glue agent: name = its fullname, instance = its release; the task
 *   pods it starts carry only the glue's own labels.
 *
 * The renderer (clearml-node) turns these into manifests; the health backend
 * compares the cluster's policies with that rendering.
 */
import { Edition } from './editions';
import { ELASTICSEARCH_CLUSTER_NAME, agentNames, serverNames } from './naming';

/** @public */
export const NAME_LABEL = 'app.kubernetes.io/name';
/**
 * The label Elastic's chart puts on the Elasticsearch StatefulSet and its pods (`<clusterName>-master`).
 *
 * @public
 */
export const ELASTIC_APP_LABEL = 'app';

/** @public */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/**
 * The namespace label OpenShift's ingress controllers' traffic matches, on the
 * cluster network and on the host network alike (OpenShift 4.7 release notes;
 * "Configuring multitenant isolation with network policy").
 *
 * @public
 */
export const ROUTER_NAMESPACE_LABELS: Record<string, string> = {
  'policy-group.network.openshift.io/ingress': '',
};

/**
 * The namespace label of OpenShift's monitoring (Prometheus of the platform and of user workloads).
 *
 * @public
 */
export const MONITORING_NAMESPACE_LABELS: Record<string, string> = {
  'network.openshift.io/policy-group': 'monitoring',
};

/**
 * Ports of the dependencies, as the subcharts pin them, and their Prometheus exporters' ports (off by default).
 *
 * @public
 */
export const DEPENDENCY_PORTS = {
  mongodb: 27017,
  redis: 6379,
  elasticsearchHttp: 9200,
  elasticsearchTransport: 9300,
  mongodbMetrics: 9216,
  redisMetrics: 9121,
} as const;

/**
 * A tenant's pods that the policies tell apart.
 *
 * @public
 */
export type IsolatedPod =
  | 'apiserver'
  | 'asyncdelete'
  | 'fileserver'
  | 'webserver'
  | 'mongodb'
  | 'redis'
  | 'elasticsearch'
  | 'agent'
  | 'appGateway';

/**
 * The `matchLabels` that select each of a tenant's pods.
 *
 * @public
 */
export function tenantPodLabels(options: {
  edition: Edition;
  release: string;
  appGatewayRelease?: string;
}): Partial<Record<IsolatedPod, Record<string, string>>> & {
  [K in Exclude<IsolatedPod, 'appGateway'>]: Record<string, string>;
} {
  const server = serverNames(options.edition, options.release);
  const agent = agentNames(options.edition, options.release);
  const component = (name: string) => ({
    [NAME_LABEL]: server.fullname,
    [INSTANCE_LABEL]: name,
  });
  return {
    apiserver: component(server.services.apiserver),
    asyncdelete: component(options.release),
    fileserver: component(server.services.fileserver),
    webserver: component(server.services.webserver),
    mongodb: { [NAME_LABEL]: 'mongodb', [INSTANCE_LABEL]: options.release },
    redis: { [NAME_LABEL]: 'redis', [INSTANCE_LABEL]: options.release },
    elasticsearch: {
      [ELASTIC_APP_LABEL]: `${ELASTICSEARCH_CLUSTER_NAME}-master`,
      release: options.release,
    },
    agent: { [NAME_LABEL]: agent.deployment, [INSTANCE_LABEL]: agent.release },
    ...(options.appGatewayRelease
      ? { appGateway: { [NAME_LABEL]: options.appGatewayRelease } }
      : {}),
  };
}

/**
 * The policy that makes every pod of the tenant's namespace deny ingress unless another policy allows it.
 *
 * @public
 */
export const DEFAULT_DENY_POLICY_NAME = 'clearml-default-deny-ingress';

/**
 * Name of the policy that opens one of the tenant's pods: `clearml-<pod>-ingress`.
 *
 * @public
 */
export function isolationPolicyName(pod: IsolatedPod): string {
  const kebab = pod.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
  return `clearml-${kebab}-ingress`;
}

/**
 * Names of the tenant's ResourceQuota and LimitRange.
 *
 * @public
 */
export const TENANT_QUOTA_NAME = 'clearml-tenant-quota';
/** @public */
export const TENANT_LIMIT_RANGE_NAME = 'clearml-tenant-limits';

/**
 * A label selector as the API spells it.
 *
 * @public
 */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

/** @public */
export interface NetworkPolicyPeerSpec {
  podSelector?: LabelSelectorSpec;
  namespaceSelector?: LabelSelectorSpec;
  ipBlock?: { cidr: string; except?: string[] };
}

/**
 * A NetworkPolicy as the API spells it (`from`, not client-node's `_from`).
 *
 * @public
 */
export interface NetworkPolicyManifest {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    podSelector: LabelSelectorSpec;
    policyTypes?: Array<'Ingress' | 'Egress'>;
    ingress?: Array<{
      from?: NetworkPolicyPeerSpec[];
      ports?: Array<{
        protocol?: string;
        port?: number | string;
        endPort?: number;
      }>;
    }>;
    egress?: unknown[];
  };
}
