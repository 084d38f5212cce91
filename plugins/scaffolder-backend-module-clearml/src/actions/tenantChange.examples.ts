import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'change', action: 'clearml:tenant:change', name, input }],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      'Open the pull request that changes the tenant picked in the form: every field left empty keeps its setting',
    example: step('Change the tenant', {
      entityRef: '${{ parameters.entity }}',
      agent: '${{ parameters.agent }}',
      agentQueue: '${{ parameters.agentQueue }}',
      tier: '${{ parameters.tier }}',
      reason: '${{ parameters.reason }}',
    }),
  },
  {
    description:
      'Turn the agent of tenant acme on (serving queue gpu) and grow it to the medium tier',
    example: step('Agent on, tier medium', {
      entityRef: 'resource:default/acme',
      agent: 'on',
      agentQueue: 'gpu',
      tier: 'medium',
      reason: 'The team starts training on the cluster',
    }),
  },
];
