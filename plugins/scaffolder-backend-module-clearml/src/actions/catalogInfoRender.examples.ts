import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [
      { id: 'catalog', action: 'clearml:catalog-info:render', name, input },
    ],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      "The tenant's entity from the form and the values step, next to its rendered files",
    example: step("Write the tenant's catalog-info.yaml", {
      tenant: '${{ parameters.tenant }}',
      owner: '${{ parameters.owner }}',
      description: '${{ parameters.description }}',
      cluster: '${{ parameters.cluster }}',
      namespace: '${{ steps.values.output.namespace }}',
      edition: '${{ parameters.edition }}',
      appGateway: '${{ parameters.appGateway }}',
      webUrl: '${{ steps.values.output.urls.web }}',
      gitopsRepoUrl: '${{ parameters.repoUrl }}',
    }),
  },
  {
    description:
      'An enterprise tenant with an app gateway, owned by a group, written below rendered/',
    example: step('Write catalog-info.yaml', {
      tenant: 'beta',
      owner: 'group:default/ml-platform',
      cluster: 'ocp-prod',
      namespace: 'clearml-beta',
      edition: 'enterprise',
      appGateway: true,
      webUrl: 'https://beta-app.example.com',
      gitopsRepoUrl: 'github.com?owner=platform&repo=gitops',
      targetPath: 'rendered',
    }),
  },
];
