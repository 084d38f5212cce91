import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [
      { id: 'credentials', action: 'clearml:credentials:create', name, input },
    ],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      "Create the tenant's credentials Secret after the pull request step (before the merge), creating its namespace (labelled for the tenant) when it does not exist yet",
    example: step('Create the credentials Secret', {
      cluster: '${{ parameters.cluster }}',
      tenant: '${{ parameters.tenant }}',
      createNamespace: true,
    }),
  },
  {
    description:
      'Create the credentials Secret of tenant acme in its existing namespace clearml-acme',
    example: step('Create the credentials Secret', {
      cluster: 'ocp-prod',
      tenant: 'acme',
    }),
  },
];
