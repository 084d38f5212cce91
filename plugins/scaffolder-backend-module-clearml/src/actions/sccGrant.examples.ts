import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'scc', action: 'clearml:scc:grant', name, input }],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      "Apply the grants the values action computed for the tenant (its sccGrants output, reasons included) in the tenant's namespace",
    example: step('Grant SCCs', {
      cluster: 'ocp-prod',
      tenant: '${{ parameters.tenant }}',
      edition: '${{ parameters.edition }}',
      securityProfile: '${{ parameters.securityProfile }}',
      agent: { enabled: '${{ parameters.agent }}' },
      grants: '${{ steps.values.output.sccGrants }}',
      createNamespace: true,
    }),
  },
  {
    description:
      'Grant an open-source tenant the anyuid its server accounts need (computed, no list given), creating clearml-acme labelled for acme',
    example: step('Grant anyuid', {
      cluster: 'ocp-prod',
      tenant: 'acme',
      createNamespace: true,
    }),
  },
  {
    description:
      "Grant nonroot-v2 to an enterprise tenant's accounts in its existing namespace",
    example: step('Grant nonroot-v2', {
      cluster: 'ocp-prod',
      tenant: 'beta',
      edition: 'enterprise',
      securityProfile: 'nonroot',
      grants: [
        {
          scc: 'nonroot-v2',
          serviceAccount: 'clearml-clearml-enterprise-apiserver',
          reason: 'enterprise image runs as UID 65532',
        },
        {
          scc: 'nonroot-v2',
          serviceAccount: 'clearml-clearml-enterprise-webserver',
          reason: 'enterprise image runs as UID 65532',
        },
      ],
    }),
  },
];
