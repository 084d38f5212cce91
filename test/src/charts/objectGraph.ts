/**
 * Questions about a set of rendered objects that decide whether a tenant
 * works: does a Route or Ingress reach a Service port that reaches a
 * container port, which pod templates run as which ServiceAccount.
 */
import type { KubeObject } from './argocdSync';

export interface PodTemplate {
  owner: string;
  labels: Record<string, string>;
  spec: any;
}

const WORKLOADS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicaSet',
]);

export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  return objects.flatMap(o => {
    if (WORKLOADS.has(o.kind))
      return [
        {
          owner: `${o.kind}/${o.metadata.name}`,
          labels: o.spec.template.metadata?.labels ?? {},
          spec: o.spec.template.spec,
        },
      ];
    if (o.kind === 'Pod')
      return [
        {
          owner: `Pod/${o.metadata.name}`,
          labels: o.metadata.labels ?? {},
          spec: o.spec,
        },
      ];
    return [];
  });
}

export function serviceAccountOf(pod: PodTemplate): string {
  return pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default';
}

function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return (
    !!selector &&
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => labels[k] === v)
  );
}

function containerPorts(
  pod: PodTemplate,
): Array<{ name?: string; containerPort: number }> {
  return (pod.spec.containers ?? []).flatMap((c: any) => c.ports ?? []);
}

/** The container port numbers a Service port's targetPort resolves to in the pods the Service selects. */
export function endpointPorts(
  objects: readonly KubeObject[],
  service: KubeObject,
  servicePort: any,
): number[] {
  const pods = podTemplates(objects).filter(p =>
    selects(service.spec.selector, p.labels),
  );
  const target = servicePort.targetPort ?? servicePort.port;
  return pods.flatMap(pod =>
    containerPorts(pod)
      .filter(port =>
        typeof target === 'number'
          ? port.containerPort === target
          : port.name === target,
      )
      .map(port => port.containerPort),
  );
}

function findService(
  objects: readonly KubeObject[],
  name: string,
  namespace?: string,
): KubeObject | undefined {
  return objects.find(
    o =>
      o.kind === 'Service' &&
      o.metadata.name === name &&
      (!namespace || o.metadata.namespace === namespace),
  );
}

/** Why a Route does not reach a container, or undefined when it does. */
export function routeProblem(
  objects: readonly KubeObject[],
  route: KubeObject,
): string | undefined {
  const service = findService(
    objects,
    route.spec.to.name,
    route.metadata.namespace,
  );
  if (!service)
    return `Route ${route.metadata.name}: no Service ${route.spec.to.name}`;
  const target = route.spec.port?.targetPort;
  // A numeric targetPort is matched against the endpoints' (container) ports; a name against the Service ports' names.
  const ports = (service.spec.ports as any[]).filter(p =>
    typeof target === 'number'
      ? endpointPorts(objects, service, p).includes(target)
      : p.name === target,
  );
  const reached = ports.flatMap(p => endpointPorts(objects, service, p));
  if (!reached.length)
    return `Route ${route.metadata.name}: targetPort ${target} reaches no container port behind Service ${service.metadata.name}`;
  return undefined;
}

/** Why an Ingress path does not reach a container, for each path that does not. */
export function ingressProblems(
  objects: readonly KubeObject[],
  ingress: KubeObject,
): string[] {
  const problems: string[] = [];
  for (const rule of ingress.spec.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const backend = p.backend.service;
      const service = findService(
        objects,
        backend.name,
        ingress.metadata.namespace,
      );
      const where = `Ingress ${ingress.metadata.name} ${rule.host}${p.path ?? ''}`;
      if (!service) {
        problems.push(`${where}: no Service ${backend.name}`);
        continue;
      }
      const port = (service.spec.ports as any[]).find(sp =>
        backend.port.number !== undefined
          ? sp.port === backend.port.number
          : sp.name === backend.port.name,
      );
      if (!port)
        problems.push(
          `${where}: Service ${backend.name} has no port ${JSON.stringify(backend.port)}`,
        );
      else if (!endpointPorts(objects, service, port).length)
        problems.push(
          `${where}: Service port ${port.port} reaches no container port`,
        );
    }
  }
  return problems;
}

/** `http://<service>.<namespace>.svc:<port>`: does it name a Service port that reaches a container? */
export function inClusterUrlProblem(
  objects: readonly KubeObject[],
  url: string,
): string | undefined {
  const m = /^http:\/\/([^.]+)\.([^.]+)\.svc:(\d+)\/?$/.exec(url);
  if (!m) return `${url} is not an in-cluster Service URL`;
  const service = findService(objects, m[1], m[2]);
  if (!service) return `${url}: no Service ${m[1]} in ${m[2]}`;
  const port = (service.spec.ports as any[]).find(p => p.port === Number(m[3]));
  if (!port) return `${url}: Service ${m[1]} has no port ${m[3]}`;
  return endpointPorts(objects, service, port).length
    ? undefined
    : `${url}: reaches no container port`;
}
