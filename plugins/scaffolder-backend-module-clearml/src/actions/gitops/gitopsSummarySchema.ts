/**
 * What merging a tenant's pull request deploys: `clearml:argocd:render` outputs
 * it as `summary`, `clearml:gitops:pull-request` takes it as `summary.gitops`.
 * One schema, so the two cannot drift apart.
 */
import type { z } from 'zod/v3';

export const gitopsSummarySchema = (zod: typeof z) =>
  zod.object({
    render: zod.enum(['applications', 'plain']),
    argocdNamespace: zod.string(),
    releases: zod.array(
      zod.object({
        application: zod.string().optional(),
        release: zod.string(),
        chart: zod.string(),
        version: zod.string(),
      }),
    ),
    kubernetesVersion: zod.string().optional(),
    kubeVersionOverride: zod.string().optional(),
    grantBindings: zod.array(zod.string()),
    credentials: zod
      .object({
        delivery: zod.enum(['externalSecrets', 'direct']),
        secret: zod.string(),
      })
      .optional(),
  });
