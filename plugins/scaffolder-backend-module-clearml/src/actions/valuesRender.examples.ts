import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

/** An example, and what running it produces (the tests hold each example to it). */
export interface ValuesRenderExample extends TemplateExample {
  produces: {
    files: string[];
    sccGrants: Array<[scc: string, serviceAccount: string]>;
  };
}

function step(name: string, input: Record<string, unknown>): string {
  return yaml.dump({
    steps: [{ id: 'values', action: 'clearml:values:render', name, input }],
  });
}

export const valuesRenderExamples: ValuesRenderExample[] = [
  {
    description:
      'Open-source tenant with every default: writes clearml-values.yaml at the workspace root; ' +
      'anyuid for the three core ServiceAccounts only (the server image runs as root)',
    example: step('Render ClearML values', {
      tenant: 'acme',
      domain: 'clearml-acme.apps.ocp.example.com',
    }),
    produces: {
      files: ['clearml-values.yaml'],
      sccGrants: [
        ['anyuid', 'clearml-apiserver'],
        ['anyuid', 'clearml-fileserver'],
        ['anyuid', 'clearml-webserver'],
      ],
    },
  },
  {
    description:
      'Open-source tenant with the k8s glue agent on queue gpu, under tenants/acme: adds clearml-agent-values.yaml ' +
      'and anyuid for the agent account (task pods run root images)',
    example: step('Render ClearML values', {
      tenant: 'acme',
      domain: 'clearml-acme.apps.ocp.example.com',
      agent: { enabled: true, queue: 'gpu' },
      targetPath: 'tenants/acme',
    }),
    produces: {
      files: [
        'tenants/acme/clearml-values.yaml',
        'tenants/acme/clearml-agent-values.yaml',
      ],
      sccGrants: [
        ['anyuid', 'clearml-apiserver'],
        ['anyuid', 'clearml-fileserver'],
        ['anyuid', 'clearml-webserver'],
        ['anyuid', 'clearml-agent-sa'],
      ],
    },
  },
  {
    description:
      'Open-source tenant, release ml, nonroot profile: anyuid stays for the three core ServiceAccounts (root image); ' +
      'the dependencies keep their pinned non-root UIDs and get nonroot-v2 (ml-mongodb, ml-redis, clearml-elastic-master)',
    example: step('Render ClearML values', {
      tenant: 'delta',
      domain: 'delta.example.com',
      releaseName: 'ml',
      securityProfile: 'nonroot',
    }),
    produces: {
      files: ['clearml-values.yaml'],
      sccGrants: [
        ['anyuid', 'clearml-apiserver'],
        ['anyuid', 'clearml-fileserver'],
        ['anyuid', 'clearml-webserver'],
        ['nonroot-v2', 'ml-mongodb'],
        ['nonroot-v2', 'ml-redis'],
        ['nonroot-v2', 'clearml-elastic-master'],
      ],
    },
  },
  {
    description:
      'Enterprise tenant with agent and app gateway under tenants/beta, restricted profile (the default): ' +
      "three files and no SCC grants (ClearML's OpenShift guide's security contexts)",
    example: step('Render ClearML values', {
      tenant: 'beta',
      namespace: 'ml-beta',
      domain: 'beta.ml.example.com',
      edition: 'enterprise',
      agent: { enabled: true },
      appGateway: { enabled: true },
      targetPath: 'tenants/beta',
    }),
    produces: {
      files: [
        'tenants/beta/clearml-values.yaml',
        'tenants/beta/clearml-agent-values.yaml',
        'tenants/beta/clearml-app-gateway-values.yaml',
      ],
      sccGrants: [],
    },
  },
  {
    description:
      "Enterprise tenant exposed through the charts' Ingresses, nonroot profile: nonroot-v2 for the enterprise core ServiceAccounts",
    example: step('Render ClearML values', {
      tenant: 'gamma',
      domain: 'gamma.example.com',
      edition: 'enterprise',
      securityProfile: 'nonroot',
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
      tlsSecretName: 'gamma-tls',
    }),
    produces: {
      files: ['clearml-values.yaml'],
      sccGrants: [
        ['nonroot-v2', 'clearml-clearml-enterprise-apiserver'],
        ['nonroot-v2', 'clearml-clearml-enterprise-fileserver'],
        ['nonroot-v2', 'clearml-clearml-enterprise-webserver'],
      ],
    },
  },
];

/** The examples as the scaffolder shows them. */
export const examples: TemplateExample[] = valuesRenderExamples.map(
  ({ description, example }) => ({
    description,
    example,
  }),
);
