import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [
      { id: 'gitops', action: 'clearml:gitops:pull-request', name, input },
    ],
  });
}

/** The summary a template builds from the render steps' outputs (here written out). */
const acmeSummary = {
  cluster: 'ocp-prod',
  namespace: 'clearml-acme',
  edition: 'oss',
  securityProfile: 'anyuid',
  hosts: {
    api: 'acme-api.clearml.apps.ocp-prod.example.com',
    files: 'acme-files.clearml.apps.ocp-prod.example.com',
    web: 'acme-app.clearml.apps.ocp-prod.example.com',
  },
  sccGrants: [
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-apiserver',
      reason: 'The open-source server image runs as root (entrypoint mode 744)',
    },
  ],
  deviations: [
    'Services are ClusterIP, not the chart default NodePort with fixed ports that collide between tenants',
  ],
};

export const examples: TemplateExample[] = [
  {
    description:
      'Open the pull request of tenant acme on GitHub: the workspace files land under tenants/acme/ on branch clearml/acme, ' +
      'with a generated description, labels clearml and tenant, and a review requested from the platform team',
    example: step('Open GitOps pull request', {
      repoUrl: 'github.com?owner=platform&repo=gitops',
      tenant: 'acme',
      summary: acmeSummary,
      teamReviewers: ['platform-admins'],
    }),
  },
  {
    description:
      'Update tenant acme: pushes the re-rendered files to the same branch and updates the same pull request ' +
      '(without update: true, an existing tenants/acme/ or branch is refused)',
    example: step('Update GitOps pull request', {
      repoUrl: 'github.com?owner=platform&repo=gitops',
      tenant: 'acme',
      sourcePath: 'rendered',
      summary: acmeSummary,
      update: true,
    }),
  },
  {
    description:
      'Push tenant acme to a local git target (a bare repository on disk configured under clearml.gitops.localTargets): ' +
      'branch clearml/acme with the description in the commit message, merged by hand',
    example: step('Push to the local GitOps repository', {
      repoUrl: 'git.local?owner=platform&repo=gitops',
      tenant: 'acme',
      summary: acmeSummary,
    }),
  },
];
