/**
 * The components a tenant consists of, with the names the charts give their
 * workloads (docs/openshift-and-clearml.md#workloads), all taken from clearml-common's naming rules.
 */
import {
  APP_GATEWAY_PORT,
  ComponentGroup,
  ComponentId,
  agentNames,
  serverNames,
} from '@clearml-openshift/plugin-clearml-common';
import { HealthTarget } from './healthTarget';

export type WorkloadKind = 'Deployment' | 'StatefulSet';

/** An endpoint check through the component's public Route. */
export interface ProbeSpec {
  path: string;
  /** HTTP statuses that mean "alive" (the fileserver answers 405 before 1.10). */
  accept: number[];
  /** The apiserver's ping answers with ClearML's JSON envelope; check it says so. */
  clearmlPing?: boolean;
}

export interface ComponentSpec {
  id: ComponentId;
  group: ComponentGroup;
  namespace: string;
  workload: { kind: WorkloadKind; name: string };
  /** The Service its public Route points at. */
  service?: string;
  /** The container port that Route's numeric `targetPort` must name. */
  targetPort?: number;
  probe?: ProbeSpec;
  /** Only reported when deployed: the entity does not say whether the agent is enabled. */
  optional?: boolean;
  /** What its init containers wait for (docs/openshift-and-clearml.md#init-containers: apiserver on the databases, the others on the apiserver). */
  dependsOn: ComponentId[];
}

const DATABASES: ComponentId[] = ['elasticsearch', 'mongodb', 'redis'];

export function tenantComponents(target: HealthTarget): ComponentSpec[] {
  const names = serverNames(target.edition, target.release);
  const agent = agentNames(target.edition, target.release);
  const ns = target.namespace;
  const components: ComponentSpec[] = [
    {
      id: 'apiserver',
      group: 'server',
      namespace: ns,
      workload: { kind: 'Deployment', name: names.services.apiserver },
      service: names.services.apiserver,
      targetPort: names.containerPorts.apiserver,
      probe: { path: '/debug.ping', accept: [200], clearmlPing: true },
      dependsOn: DATABASES,
    },
    {
      id: 'fileserver',
      group: 'server',
      namespace: ns,
      workload: { kind: 'Deployment', name: names.services.fileserver },
      service: names.services.fileserver,
      targetPort: names.containerPorts.fileserver,
      probe: { path: '/', accept: [200, 405] },
      dependsOn: ['apiserver'],
    },
    {
      id: 'webserver',
      group: 'server',
      namespace: ns,
      workload: { kind: 'Deployment', name: names.services.webserver },
      service: names.services.webserver,
      targetPort: names.containerPorts.webserver,
      probe: { path: '/', accept: [200] },
      dependsOn: ['apiserver'],
    },
    {
      id: 'asyncdelete',
      group: 'server',
      namespace: ns,
      workload: { kind: 'Deployment', name: names.asyncDelete },
      dependsOn: DATABASES,
    },
    {
      id: 'mongodb',
      group: 'dependency',
      namespace: ns,
      workload: { kind: 'Deployment', name: names.mongodb.deployment },
      dependsOn: [],
    },
    {
      id: 'redis',
      group: 'dependency',
      namespace: ns,
      workload: { kind: 'StatefulSet', name: names.redis.statefulSet },
      dependsOn: [],
    },
    {
      id: 'elasticsearch',
      group: 'dependency',
      namespace: ns,
      workload: { kind: 'StatefulSet', name: names.elasticsearch.statefulSet },
      dependsOn: [],
    },
    {
      id: 'agent',
      group: 'agent',
      namespace: ns,
      workload: { kind: 'Deployment', name: agent.deployment },
      optional: true,
      dependsOn: ['apiserver'],
    },
  ];
  if (target.appGateway) {
    // The annotation holds the app gateway's own release, which (with fullnameOverride) names its Service and Deployment.
    const gatewayName = target.appGateway.release;
    components.push({
      id: 'app-gateway',
      group: 'app-gateway',
      namespace: target.appGateway.namespace,
      workload: { kind: 'Deployment', name: gatewayName },
      service: gatewayName,
      targetPort: APP_GATEWAY_PORT,
      dependsOn: ['apiserver'],
    });
  }
  return components;
}
