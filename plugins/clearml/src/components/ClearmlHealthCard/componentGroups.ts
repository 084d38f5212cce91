import {
  ComponentGroup,
  ComponentHealth,
  ComponentId,
} from '@clearml-openshift/plugin-clearml-common';

/** The card's sections, in the order a person reads a tenant: the server, what it needs, then the extras. */
const GROUPS: Array<{ group: ComponentGroup; title: string }> = [
  { group: 'server', title: 'Server' },
  { group: 'dependency', title: 'Dependencies' },
  { group: 'agent', title: 'Agent' },
  { group: 'app-gateway', title: 'App gateway' },
];

const COMPONENT_NAMES: Record<ComponentId, string> = {
  apiserver: 'API server',
  fileserver: 'File server',
  webserver: 'Web server',
  asyncdelete: 'Async delete',
  mongodb: 'MongoDB',
  redis: 'Redis',
  elasticsearch: 'Elasticsearch',
  agent: 'Agent (k8s glue)',
  'app-gateway': 'App gateway',
};

const COMPONENT_ORDER = Object.keys(COMPONENT_NAMES);

export function componentName(id: ComponentId): string {
  return COMPONENT_NAMES[id] ?? id;
}

export interface ComponentSection {
  group: ComponentGroup;
  title: string;
  components: ComponentHealth[];
}

/** Components per section in a fixed order; sections without components are left out. */
export function groupComponents(
  components: ComponentHealth[],
): ComponentSection[] {
  const rank = (c: ComponentHealth) => {
    const index = COMPONENT_ORDER.indexOf(c.id);
    return index < 0 ? COMPONENT_ORDER.length : index;
  };
  return GROUPS.map(({ group, title }) => ({
    group,
    title,
    components: components
      .filter(c => c.group === group)
      .sort((a, b) => rank(a) - rank(b)),
  })).filter(section => section.components.length > 0);
}
