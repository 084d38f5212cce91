/**
 * The tenant fields both render actions take. The schema describes them for
 * the template editor; the rules live in `resolveTenant` (clearml-common),
 * which the handlers call, so every refusal is one InputError naming the field.
 */
import type { z } from 'zod/v3';

type Zod = typeof z;

export const tenantInputSchema = {
  tenant: (z: Zod) =>
    z
      .string()
      .describe(
        'Tenant name: a DNS-1123 label that starts with a letter, at most 40 characters',
      ),
  namespace: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('Namespace of the ClearML server (default clearml-<tenant>)'),
  domain: (z: Zod) =>
    z
      .string()
      .describe(
        'DNS domain of the tenant: hosts are api.<domain>, files.<domain>, app.<domain>, *.appgw.<domain>',
      ),
  edition: (z: Zod) =>
    z
      .enum(['oss', 'enterprise'])
      .optional()
      .describe('ClearML edition (default oss)'),
  releaseName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Helm release name of the server; drives object names (default clearml)',
      ),
  securityProfile: (z: Zod) =>
    z
      .enum(['restricted', 'nonroot', 'anyuid'])
      .optional()
      .describe(
        'SCC profile: restricted (no grants), nonroot (nonroot-v2 grants) or anyuid (default for oss)',
      ),
  exposure: (z: Zod) =>
    z
      .enum(['route', 'ingress'])
      .optional()
      .describe("OpenShift Routes (default) or the charts' Ingresses"),
  ingressClassName: (z: Zod) =>
    z.string().optional().describe('IngressClass (ingress exposure only)'),
  tlsSecretName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('TLS Secret of the Ingresses (ingress exposure only)'),
  agent: (z: Zod) =>
    z
      .object({ enabled: z.boolean(), queue: z.string().optional() })
      .optional()
      .describe('Kubernetes glue agent (default off; queue default "default")'),
  appGateway: (z: Zod) =>
    z
      .object({ enabled: z.boolean() })
      .optional()
      .describe('Enterprise app gateway (default off)'),
  elasticsearchSysctlInit: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe(
        "Restore Elasticsearch's privileged sysctl init container (adds a privileged grant; default false)",
      ),
  tier: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Size tier from clearml.tiers (default: the first; built in: small, medium, large): container sizes, claim sizes, ResourceQuota and LimitRange',
      ),
  storageClassName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "StorageClass every claim names (with cluster: must exist there; default: the cluster's default class)",
      ),
  targetPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('Workspace-relative directory to write into (default .)'),
};
