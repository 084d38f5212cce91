import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'upgrade', action: 'clearml:fleet:upgrade', name, input }],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      'Open upgrade pull requests for the next 10 tenants whose chart versions differ from clearml.charts',
    example: step('Upgrade the fleet', { batchSize: 10 }),
  },
  {
    description:
      'Upgrade two named tenants, all or nothing: if either is refused, no pull request is opened',
    example: step('Upgrade acme and vision', {
      tenants: ['resource:default/acme', 'resource:default/vision'],
    }),
  },
  {
    description:
      'Only say what would be opened, skipped and refused, writing nothing',
    example: step('Preview the upgrade', {
      tenants: '${{ parameters.tenants }}',
      batchSize: '${{ parameters.batchSize }}',
      dryRun: true,
    }),
  },
];
