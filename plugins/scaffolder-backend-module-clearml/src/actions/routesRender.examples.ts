import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'routes', action: 'clearml:routes:render', name, input }],
  });
}

export const examples: TemplateExample[] = [
  {
    description:
      'Routes of an open-source tenant, written to routes.yaml at the workspace root',
    example: step('Render Routes', {
      tenant: 'acme',
      domain: 'clearml-acme.apps.ocp.example.com',
    }),
  },
  {
    description:
      'Routes of an enterprise tenant with the app gateway (adds a wildcard Route), written under tenants/beta',
    example: step('Render Routes', {
      tenant: 'beta',
      namespace: 'ml-beta',
      domain: 'beta.ml.example.com',
      edition: 'enterprise',
      releaseName: 'clearml',
      appGateway: { enabled: true },
      targetPath: 'tenants/beta',
    }),
  },
  {
    description:
      "Ingress exposure: no Routes are written (the charts' Ingresses expose the tenant); the hosts are still output",
    example: step('Report hosts', {
      tenant: 'gamma',
      domain: 'gamma.example.com',
      exposure: 'ingress',
      targetPath: 'tenants/gamma',
    }),
  },
];
