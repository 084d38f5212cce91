/**
 * Whether a connection is allowed by the NetworkPolicies, with Kubernetes'
 * semantics (networking.k8s.io/v1, ingress):
 *
 * - a pod that no Ingress policy of its namespace selects accepts everything;
 * - a selected pod accepts a connection only if some selecting policy has a
 *   rule whose `from` (absent or empty: anyone) has a matching peer and whose
 *   `ports` (absent or empty: every port) include the destination port;
 * - a peer with only `podSelector` matches pods of the policy's own namespace;
 *   only `namespaceSelector`, every pod of the matching namespaces; both, the
 *   pods matching the podSelector IN the matching namespaces (ANDed);
 * - OpenShift: traffic from a host-network ingress controller is matched only
 *   by a peer whose namespaceSelector selects the ingress policy group and
 *   whose podSelector is set (to `{}`): a namespaceSelector alone does not
 *   include host-network traffic (OpenShift 4.18 "About network policy").
 *
 * Egress is not evaluated (the tenants' policies restrict none).
 */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

export interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

export interface NetworkPolicy {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: Array<{
      from?: Peer[];
      ports?: Array<{
        protocol?: string;
        port?: number | string;
        endPort?: number;
      }>;
    }>;
    egress?: unknown[];
  };
}

export interface Endpoint {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports (a policy may name a port instead of numbering it). */
  ports?: Record<string, number>;
  /** A host-network source (OpenShift's router with the HostNetwork strategy). */
  hostNetwork?: boolean;
}

export interface Cluster {
  namespaces: Record<string, Record<string, string>>;
  policies: NetworkPolicy[];
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const listed = (e.values ?? []).includes(labels[e.key]);
    let ok: boolean;
    if (e.operator === 'In') ok = has && listed;
    else if (e.operator === 'NotIn') ok = !has || !listed;
    else if (e.operator === 'Exists') ok = has;
    else ok = !has;
    if (!ok) return false;
  }
  return true;
}

function isIngressPolicy(policy: NetworkPolicy): boolean {
  const types = policy.spec.policyTypes;
  return types ? types.includes('Ingress') : true;
}

function peerMatches(
  cluster: Cluster,
  policyNamespace: string,
  peer: Peer,
  source: Endpoint,
): boolean {
  if (peer.ipBlock) return false; // pods' traffic is told apart by selectors here
  const sourceNamespaceLabels = cluster.namespaces[source.namespace] ?? {};
  if (source.hostNetwork) {
    return (
      peer.namespaceSelector !== undefined &&
      peer.podSelector !== undefined &&
      selectorMatches(peer.namespaceSelector, sourceNamespaceLabels) &&
      selectorMatches(peer.podSelector, source.labels)
    );
  }
  if (!peer.namespaceSelector && !peer.podSelector) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, sourceNamespaceLabels)
    : source.namespace === policyNamespace;
  const podOk = peer.podSelector
    ? selectorMatches(peer.podSelector, source.labels)
    : true;
  return namespaceOk && podOk;
}

function portMatches(
  ports: NonNullable<NetworkPolicy['spec']['ingress']>[number]['ports'],
  destination: Endpoint,
  port: number,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(p => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    const number =
      typeof p.port === 'number' ? p.port : destination.ports?.[p.port];
    if (number === undefined) return false;
    return p.endPort !== undefined
      ? port >= number && port <= p.endPort
      : port === number;
  });
}

/** The policies that select the destination pod for ingress. */
export function selectingPolicies(
  cluster: Cluster,
  destination: Endpoint,
): NetworkPolicy[] {
  return cluster.policies.filter(
    p =>
      (p.metadata.namespace ?? '') === destination.namespace &&
      isIngressPolicy(p) &&
      selectorMatches(p.spec.podSelector, destination.labels),
  );
}

/** Whether `source` may open a TCP connection to `destination` on `port`. */
export function allowed(
  cluster: Cluster,
  source: Endpoint,
  destination: Endpoint,
  port: number,
): boolean {
  const selecting = selectingPolicies(cluster, destination);
  if (selecting.length === 0) return true;
  return selecting.some(policy =>
    (policy.spec.ingress ?? []).some(
      rule =>
        portMatches(rule.ports, destination, port) &&
        (!rule.from ||
          rule.from.length === 0 ||
          rule.from.some(peer =>
            peerMatches(cluster, destination.namespace, peer, source),
          )),
    ),
  );
}
