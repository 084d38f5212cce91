/**
 * The change action's input and output schema. Every setting is optional: empty (absent or '') keeps it, so a form
 * sends only what its user changed. The fields that cannot change in place are accepted so that a request naming
 * them is refused with the reason, naming the field, instead of being dropped silently.
 */
import type { z as zod } from 'zod/v3';
import { FIXED_TENANT_FIELDS, SWITCH_VALUES } from './changeSettings';

type Zod = typeof zod;

const keep = ' (empty: unchanged)';

export function tenantChangeSchema() {
  const fixed = Object.fromEntries(
    Object.entries(FIXED_TENANT_FIELDS).map(([field, why]) => [
      field,
      (z: Zod) =>
        z
          .string()
          .optional()
          .describe(
            `Cannot change in place (${why}); a value other than the tenant's is refused`,
          ),
    ]),
  ) as Record<
    keyof typeof FIXED_TENANT_FIELDS,
    (z: Zod) => zod.ZodOptional<zod.ZodString>
  >;
  return {
    input: {
      entityRef: (z: Zod) =>
        z
          .string()
          .describe("The tenant's catalog entity, resource:default/<tenant>"),
      description: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(`What the tenant is for, shown in the catalog${keep}`),
      agent: (z: Zod) =>
        z
          .enum(SWITCH_VALUES)
          .optional()
          .describe('The Kubernetes glue agent: keep (default), on or off'),
      agentQueue: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(`The ClearML queue the agent serves${keep}`),
      appGateway: (z: Zod) =>
        z
          .enum(SWITCH_VALUES)
          .optional()
          .describe(
            'The app gateway (enterprise only): keep (default), on or off',
          ),
      tier: (z: Zod) =>
        z.string().optional().describe(`Size tier from clearml.tiers${keep}`),
      exposure: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(
            `route (OpenShift Routes) or ingress (the charts' Ingresses)${keep}`,
          ),
      ingressClassName: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(`IngressClass (ingress exposure only)${keep}`),
      tlsSecretName: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(
            `TLS Secret of the Ingresses (ingress exposure only)${keep}`,
          ),
      securityProfile: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(
            `restricted, nonroot or anyuid, as the edition admits${keep}`,
          ),
      ...fixed,
      reason: (z: Zod) =>
        z
          .string()
          .optional()
          .describe('Why, for the reviewer (shown in the pull request)'),
      token: (z: Zod) =>
        z
          .string()
          .optional()
          .describe(
            'GitHub token to use instead of the integration credentials',
          ),
    },
    output: {
      remoteUrl: (z: Zod) =>
        z
          .string()
          .describe(
            'URL of the change pull request (local target: git://…#<branch>)',
          ),
      pullRequestNumber: (z: Zod) =>
        z
          .number()
          .optional()
          .describe('Number of the pull request (GitHub only)'),
      branchName: (z: Zod) =>
        z
          .string()
          .describe(
            'Branch of the change pull request, clearml-change/<tenant>',
          ),
      tenant: (z: Zod) => z.string().describe('The tenant changed'),
      changedSettings: (z: Zod) =>
        z
          .array(z.string())
          .describe('The settings the change moves (agent.enabled, tier, …)'),
      effectiveChange: (z: Zod) =>
        z
          .array(z.string())
          .describe(
            'One line per part of the effective change: files, values keys, grants, objects, releases',
          ),
      files: (z: Zod) =>
        z
          .object({
            added: z.array(z.string()),
            removed: z.array(z.string()),
            modified: z.array(z.string()),
          })
          .describe(
            'Repository paths the pull request adds, removes and modifies',
          ),
      catalogInfoChanged: (z: Zod) =>
        z
          .boolean()
          .describe(
            'Whether catalog-info.yaml changes (the entity shows it once re-registered from the default branch)',
          ),
    },
  };
}
