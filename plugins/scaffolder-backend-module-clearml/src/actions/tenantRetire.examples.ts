import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'retire', action: 'clearml:tenant:retire', name, input }],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      'Open the pull request that retires the tenant picked in the form, keeping its namespace and claims (the default data policy)',
    example: step('Retire the tenant', {
      entityRef: '${{ parameters.entity }}',
      confirm: '${{ parameters.confirm }}',
      reason: '${{ parameters.reason }}',
    }),
  },
  {
    description:
      'Retire tenant acme and delete its data with it when the pull request is merged',
    example: step('Retire acme and delete its data', {
      entityRef: 'resource:default/acme',
      confirm: 'acme',
      dataPolicy: 'delete',
    }),
  },
];
