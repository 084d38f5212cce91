import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({ steps: [{ id: 'scc', action: 'clearml:scc:grant', name, input }] });
}

export const examples: TemplateExample[] = [
  {
    description: "Apply the grants the values action computed (its sccGrants output, reasons included) to the tenant's namespace",
    example: step('Grant SCCs', {
      cluster: 'ocp-prod',
      namespace: '${{ steps.values.output.namespace }}',
      grants: '${{ steps.values.output.sccGrants }}',
    }),
  },
  {
    description: 'Grant anyuid to the three ClearML server accounts, creating the namespace first',
    example: step('Grant anyuid', {
      cluster: 'ocp-prod',
      namespace: 'clearml-acme',
      createNamespace: true,
      grants: [
        { scc: 'anyuid', serviceAccount: 'clearml-apiserver' },
        { scc: 'anyuid', serviceAccount: 'clearml-fileserver' },
        { scc: 'anyuid', serviceAccount: 'clearml-webserver' },
      ],
    }),
  },
  {
    description: 'Grant nonroot-v2 to an enterprise tenant\'s accounts in an existing namespace',
    example: step('Grant nonroot-v2', {
      cluster: 'ocp-prod',
      namespace: 'ml-beta',
      grants: [
        { scc: 'nonroot-v2', serviceAccount: 'clearml-apiserver', reason: 'enterprise image runs as UID 65532' },
        { scc: 'nonroot-v2', serviceAccount: 'clearml-webserver', reason: 'enterprise image runs as UID 65532' },
      ],
    }),
  },
];
