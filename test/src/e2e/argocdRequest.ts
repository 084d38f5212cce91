/**
 * One request to the Kubernetes API double as Argo CD's controller (or a cluster controller) makes it: the object's
 * JSON as is, on the path of its resource type (a typed client would drop fields its models name differently, e.g.
 * a NetworkPolicy rule's `from`), with Argo CD's token.
 */
import {
  KubernetesApiDouble,
  KUBERNETES_DOUBLE_RESOURCE_TYPES,
} from '@internal/clearml-test-utils';
import { KubeObject } from '../charts/argocdSync';
import { ARGOCD_TOKEN } from './argocdSimulation';

export async function argocdRequest(
  kubernetes: KubernetesApiDouble,
  method: string,
  object: {
    apiVersion: string;
    kind: string;
    metadata: KubeObject['metadata'];
  },
  body?: unknown,
): Promise<Response> {
  const type = KUBERNETES_DOUBLE_RESOURCE_TYPES.find(
    t =>
      t.kind === object.kind &&
      (t.group ? `${t.group}/${t.version}` : t.version) === object.apiVersion,
  );
  if (!type)
    throw new Error(`the double serves no ${object.apiVersion} ${object.kind}`);
  const prefix = type.group
    ? `/apis/${type.group}/${type.version}`
    : `/api/${type.version}`;
  const ns = type.namespaced ? `/namespaces/${object.metadata.namespace}` : '';
  const name = method === 'POST' ? '' : `/${object.metadata.name}`;
  return fetch(`${kubernetes.url}${prefix}${ns}/${type.resource}${name}`, {
    method,
    headers: {
      Authorization: `Bearer ${ARGOCD_TOKEN}`,
      'Content-Type': 'application/json',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}
