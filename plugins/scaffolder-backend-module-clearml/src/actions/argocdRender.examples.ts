import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

/** An example, and the files running it writes (the tests hold each example to it). */
export interface ArgocdRenderExample extends TemplateExample {
  produces: { files: string[]; applications: string[] };
}

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'argocd', action: 'clearml:argocd:render', name, input }],
  });
}

export const argocdRenderExamples: ArgocdRenderExample[] = [
  {
    description:
      'Open-source tenant on cluster ocp-prod: the Namespace, the anyuid RoleBinding of its three server accounts and ' +
      "the server release's Application, which applies them and routes.yaml around the chart in sync waves",
    example: step('Render the Argo CD files', {
      tenant: 'acme',
      domain: 'clearml-acme.apps.ocp.example.com',
      cluster: 'ocp-prod',
      repoUrl: 'github.com?owner=platform&repo=gitops',
    }),
    produces: {
      files: [
        'namespace.yaml',
        'scc-grants.yaml',
        'credentials.yaml',
        'isolation.yaml',
        'applications.yaml',
      ],
      applications: ['clearml-acme-server'],
    },
  },
  {
    description:
      'Open-source tenant with the k8s glue agent, written below rendered/ for the pull request: a second Application ' +
      "for the agent release, after the server one, and with its owner the tenant's settings record tenant-settings.yaml " +
      "(the StorageClass the values name: the chosen one, else the cluster's default)",
    example: step('Render the Argo CD files and the settings record', {
      tenant: 'acme',
      owner: 'group:default/ml-team',
      description: 'Experiments of the ML team',
      domain: 'clearml-acme.apps.ocp.example.com',
      agent: { enabled: true, queue: 'gpu' },
      cluster: 'ocp-prod',
      repoUrl: 'github.com?owner=platform&repo=gitops',
      targetPath: 'rendered',
    }),
    produces: {
      files: [
        'rendered/namespace.yaml',
        'rendered/scc-grants.yaml',
        'rendered/credentials.yaml',
        'rendered/isolation.yaml',
        'rendered/applications.yaml',
        'rendered/tenant-settings.yaml',
      ],
      applications: ['clearml-acme-server', 'clearml-acme-agent'],
    },
  },
  {
    description:
      'Enterprise tenant under the restricted profile (no SCC grants, so no scc-grants.yaml) whose files live in ' +
      'teams/vision in the GitOps repository',
    example: step('Render the Argo CD files', {
      tenant: 'vision',
      domain: 'clearml-vision.apps.ocp.example.com',
      edition: 'enterprise',
      cluster: 'ocp-prod',
      repoUrl: 'github.com?owner=platform&repo=gitops',
      gitopsPath: 'teams/vision',
    }),
    produces: {
      files: ['namespace.yaml', 'isolation.yaml', 'applications.yaml'],
      applications: ['clearml-vision-server'],
    },
  },
];

export const examples: TemplateExample[] = argocdRenderExamples.map(
  ({ description, example }) => ({ description, example }),
);
