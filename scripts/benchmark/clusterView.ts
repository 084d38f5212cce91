/**
 * The shared view (ClusterView, the clearml backend's informers) on its own, without a backend, with the production
 * stream, on the double.
 */
import { buildKubeConfig } from '@clearml-openshift/plugin-clearml-node';
import { KubernetesApiDouble } from '@internal/clearml-test-utils';
import { ClusterView } from '../../plugins/clearml-backend/src/kubernetes/ClusterView';
import { kubeConfigStream } from '../../plugins/clearml-backend/src/kubernetes/clusterStream';
import { cost, liveHeap } from './measure';
import { READ_TOKEN } from './objects';

const logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return logger;
  },
} as any;

/** A ClusterView on the double's `bench` cluster, renewing its watches every `watchSeconds`. */
export function newClusterView(kube: KubernetesApiDouble, watchSeconds = 300) {
  const cluster = {
    name: 'bench',
    url: kube.url,
    serviceAccountToken: READ_TOKEN,
    skipTLSVerify: true,
  } as any;
  return new ClusterView({
    cluster,
    stream: kubeConfigStream(buildKubeConfig(cluster, 'read'), 30_000),
    timeoutMs: 30_000,
    watchSeconds,
    staleSeconds: 120,
    tenantNamespaces: { namespacePattern: 'clearml-*', adopt: [] },
    logger,
  });
}

/**
 * A ClusterView on its own (no backend), with the production stream: what it listed and holds, and the live heap
 * (after full collections) it added. `keep`: return it running.
 */
export async function standaloneView(kube: KubernetesApiDouble, keep = false) {
  const make = () => newClusterView(kube);
  // A first view warms the code paths, connections and the double's caches; it is stopped before measuring.
  const warm = make();
  await warm.ensure(60_000);
  await warm.stop();
  await new Promise(r => setTimeout(r, 300));
  const before = liveHeap();
  kube.clearRequests();
  const view = make();
  await view.ensure(60_000);
  while (kube.openWatches < 9) await new Promise(r => setTimeout(r, 20));
  const listed = cost(kube);
  kube.clearRequests();
  await new Promise(r => setTimeout(r, 300));
  const heap = liveHeap() - before;
  const size = view.size();
  if (!keep) await view.stop();
  return { view, listed, heap, size };
}
