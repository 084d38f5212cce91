/**
 * A tenant's isolation on the cluster, as manifests the pull request carries
 * (sync wave -1, before the chart's pods):
 *
 * - NetworkPolicies: the namespace denies ingress by default; the router
 *   (OpenShift's ingress policy group, also from the host network) reaches
 *   only the web, API and file servers and the app gateway, on their container
 *   ports; the tenant's own pods (the agent and its task pods among them)
 *   reach the API, file and web servers; MongoDB, Redis and Elasticsearch
 *   accept only the API server and its async-delete worker (and Elasticsearch
 *   its own nodes), so task pods running user code cannot touch them;
 *   monitoring reaches the exporters' ports. Egress is not restricted.
 * - ResourceQuota and LimitRange from the size tier.
 *
 * Pure; the health backend renders the same policies to compare with the cluster.
 */
import {
  APP_GATEWAY_PORT,
  appGatewayNames,
  ARGOCD_SYNC_WAVE_ANNOTATION,
  DEFAULT_DENY_POLICY_NAME,
  DEPENDENCY_PORTS,
  Edition,
  IsolatedPod,
  isolationPolicyName,
  MONITORING_NAMESPACE_LABELS,
  ROUTER_NAMESPACE_LABELS,
  serverNames,
  SizeTier,
  SYNC_WAVES,
  tenantOwnerLabels,
  tenantPodLabels,
  tenantQuotaHard,
  TENANT_LIMIT_RANGE_NAME,
  TENANT_QUOTA_NAME,
} from '@clearml-openshift/plugin-clearml-common';
import type { Tenant } from '@clearml-openshift/plugin-clearml-common';
import type {
  NetworkPolicyManifest as V1NetworkPolicy,
  NetworkPolicyPeerSpec as V1NetworkPolicyPeer,
} from '@clearml-openshift/plugin-clearml-common';
import type { V1ResourceQuota } from '@kubernetes/client-node';

/** What the policies depend on: never the tier, so the backend can render them from the entity's annotations.
 *
 * @public
 */
export interface IsolationTarget {
  tenant: string;
  namespace: string;
  edition: Edition;
  release: string;
  appGateway: boolean;
}

/**
 * The metadata of every isolation object: the tenant's owner label and the isolation sync wave.
 *
 * @public
 */
export interface IsolationMetadata {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function metadata(target: IsolationTarget, name: string): IsolationMetadata {
  return {
    name,
    namespace: target.namespace,
    labels: tenantOwnerLabels(target.tenant),
    annotations: {
      [ARGOCD_SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.isolation),
    },
  };
}

/** The router, from the cluster network or the host network (which needs `podSelector: {}` beside the namespace selector). */
const ROUTER_PEER: V1NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { ...ROUTER_NAMESPACE_LABELS } },
  podSelector: {},
};
const MONITORING_PEER: V1NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { ...MONITORING_NAMESPACE_LABELS } },
};
/** Any pod of the tenant's own namespace (a podSelector alone never reaches into another namespace). */
const OWN_NAMESPACE_PEER: V1NetworkPolicyPeer = { podSelector: {} };

const tcp = (...ports: number[]) =>
  ports.map(port => ({ protocol: 'TCP', port }));

/** @public */
export function tenantNetworkPolicies(
  target: IsolationTarget,
): V1NetworkPolicy[] {
  const names = serverNames(target.edition, target.release);
  const pods = tenantPodLabels({
    edition: target.edition,
    release: target.release,
    ...(target.appGateway
      ? { appGatewayRelease: appGatewayNames(target.release).service }
      : {}),
  });
  const serverPeers: V1NetworkPolicyPeer[] = [
    { podSelector: { matchLabels: { ...pods.apiserver } } },
    { podSelector: { matchLabels: { ...pods.asyncdelete } } },
  ];
  const policy = (
    pod: IsolatedPod,
    ingress: V1NetworkPolicy['spec']['ingress'],
  ): V1NetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(target, isolationPolicyName(pod)),
    spec: {
      podSelector: { matchLabels: { ...pods[pod]! } },
      policyTypes: ['Ingress'],
      ingress,
    },
  });
  const servers = (['apiserver', 'fileserver', 'webserver'] as const).map(
    component =>
      policy(component, [
        {
          from: [ROUTER_PEER, OWN_NAMESPACE_PEER],
          ports: tcp(names.containerPorts[component]),
        },
      ]),
  );
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(target, DEFAULT_DENY_POLICY_NAME),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    ...servers,
    ...(target.appGateway
      ? [
          policy('appGateway', [
            { from: [ROUTER_PEER], ports: tcp(APP_GATEWAY_PORT) },
          ]),
        ]
      : []),
    policy('mongodb', [
      { from: serverPeers, ports: tcp(DEPENDENCY_PORTS.mongodb) },
      { from: [MONITORING_PEER], ports: tcp(DEPENDENCY_PORTS.mongodbMetrics) },
    ]),
    policy('redis', [
      { from: serverPeers, ports: tcp(DEPENDENCY_PORTS.redis) },
      { from: [MONITORING_PEER], ports: tcp(DEPENDENCY_PORTS.redisMetrics) },
    ]),
    policy('elasticsearch', [
      { from: serverPeers, ports: tcp(DEPENDENCY_PORTS.elasticsearchHttp) },
      {
        from: [{ podSelector: { matchLabels: { ...pods.elasticsearch } } }],
        ports: tcp(
          DEPENDENCY_PORTS.elasticsearchHttp,
          DEPENDENCY_PORTS.elasticsearchTransport,
        ),
      },
    ]),
  ];
}

/** @public */
export function tenantResourceQuota(
  target: IsolationTarget & { agent: boolean },
  tier: SizeTier,
): V1ResourceQuota {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: metadata(target, TENANT_QUOTA_NAME),
    spec: {
      hard: tenantQuotaHard(tier, {
        edition: target.edition,
        agent: target.agent,
        appGateway: target.appGateway,
      }),
    },
  };
}

/** A LimitRange as the API spells it (client-node's model names `default` `_default`).
 *
 * @public
 */
export interface LimitRangeManifest {
  apiVersion: 'v1';
  kind: 'LimitRange';
  metadata: IsolationMetadata;
  spec: {
    limits: Array<{
      type: 'Container';
      default: Record<string, string>;
      defaultRequest: Record<string, string>;
    }>;
  };
}

/** Task pods (and any container) without requests or limits get the tier's task-pod size.
 *
 * @public
 */
export function tenantLimitRange(
  target: IsolationTarget,
  tier: SizeTier,
): LimitRangeManifest {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: metadata(target, TENANT_LIMIT_RANGE_NAME),
    spec: {
      limits: [
        {
          type: 'Container',
          default: { ...tier.taskPods.limits },
          defaultRequest: { ...tier.taskPods.requests },
        },
      ],
    },
  };
}

/** @public */
export function isolationTargetOf(tenant: Tenant): IsolationTarget {
  return {
    tenant: tenant.tenant,
    namespace: tenant.namespace,
    edition: tenant.edition,
    release: tenant.releaseName,
    appGateway: tenant.appGateway.enabled,
  };
}

/** Everything isolation.yaml holds, in order: the policies, the quota, the LimitRange.
 *
 * @public
 */
export function tenantIsolationManifests(
  tenant: Tenant,
): Array<V1NetworkPolicy | V1ResourceQuota | LimitRangeManifest> {
  const target = isolationTargetOf(tenant);
  return [
    ...tenantNetworkPolicies(target),
    tenantResourceQuota(
      { ...target, agent: tenant.agent.enabled },
      tenant.tier,
    ),
    tenantLimitRange(target, tenant.tier),
  ];
}
