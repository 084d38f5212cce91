/**
 * The summary `clearml:gitops:pull-request` makes the pull request's
 * description from: one zod schema, which is both the action's input schema
 * and what the handler validates with (the scaffolder checks only the JSON
 * schema it is converted to, and refinements do not reach that).
 */
import { InputError } from '@backstage/errors';
import { isDns1123Label } from '@clearml-openshift/plugin-clearml-common';
import type { PullRequestSummary } from '@clearml-openshift/plugin-clearml-node';
import { z as zodV3 } from 'zod/v3';
import type { z } from 'zod/v3';
import { gitopsSummarySchema } from './gitopsSummarySchema';

/** What a grant without a judgeable reason, or without its names, is told. */
const GRANT_NEEDS =
  'needs scc, serviceAccount and a reason a reviewer can judge';
const SCC_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const present = (v: string) => v !== '';
/** The fields the description cannot be made without. */
const REQUIRED = [
  'cluster',
  'namespace',
  'edition',
  'securityProfile',
  'hosts',
  'sccGrants',
];

export const pullRequestSummarySchema = (zod: typeof z) =>
  zod.object({
    cluster: zod.string().refine(present),
    namespace: zod.string().refine(present),
    edition: zod.string().refine(present),
    securityProfile: zod.string().refine(present),
    hosts: zod.object({
      api: zod.string(),
      files: zod.string(),
      web: zod.string(),
      appGateway: zod.string().optional(),
    }),
    // Grants are shown to a reviewer and may be applied: names only, no text.
    sccGrants: zod.array(
      zod.object({
        scc: zod.string().refine(
          v => SCC_NAME.test(v),
          v => ({
            message: `must be an SCC name (got ${JSON.stringify(v)})`,
          }),
        ),
        serviceAccount: zod.string().refine(isDns1123Label, v => ({
          message: `must be a ServiceAccount name (got ${JSON.stringify(v)})`,
        })),
        reason: zod.string().refine(v => v.trim() !== '', GRANT_NEEDS),
      }),
    ),
    deviations: zod.array(zod.string()).optional(),
    grantsApplied: zod.boolean().optional(),
    images: zod
      .object({
        registry: zod.string().optional(),
        pullSecret: zod.string().optional(),
        references: zod.array(zod.string()),
        replaced: zod.array(
          zod.object({
            from: zod.string(),
            to: zod.string(),
            sources: zod.array(zod.string()),
          }),
        ),
      })
      .optional()
      .describe("What the tenant pulls: clearml:values:render's images output"),
    storageClassName: zod
      .string()
      .optional()
      .describe(
        "The StorageClass every claim names: clearml:values:render's output",
      ),
    gitops: gitopsSummarySchema(zod)
      .optional()
      .describe("What merging deploys: clearml:argocd:render's summary output"),
  });

/** `summary.sccGrants[0].reason` for a zod issue path. */
function fieldName(path: (string | number)[]): string {
  return path.reduce<string>(
    (name, key) =>
      typeof key === 'number' ? `${name}[${key}]` : `${name}.${key}`,
    'summary',
  );
}

/**
 * The summary, validated by its schema; an InputError naming `summary` and the first field it breaks otherwise.
 */
export function parsePullRequestSummary(value: unknown): PullRequestSummary {
  if (!value || typeof value !== 'object') {
    throw new InputError(
      'summary: is required unless description is given (the description is generated from it)',
    );
  }
  const result = pullRequestSummarySchema(zodV3).safeParse(value);
  if (result.success) return value as PullRequestSummary;
  const issues = result.error.issues;
  const grant = (i: z.ZodIssue) =>
    i.path[0] === 'sccGrants' && i.path.length > 1;
  // Absent (or empty) fields are named together, then a grant is told what it needs, then which name is wrong.
  const missing = issues.filter(
    i => REQUIRED.includes(String(i.path[0])) && !grant(i),
  );
  if (missing.length) {
    throw new InputError(
      `summary: missing ${missing
        .flatMap(i =>
          // No hosts at all: each host the description needs is missing.
          i.path.length === 1 && i.path[0] === 'hosts'
            ? ['api', 'files', 'web'].map(h => `summary.hosts.${h}`)
            : [fieldName(i.path)],
        )
        .join(', ')}`,
    );
  }
  const needs = issues.find(
    i => grant(i) && (i.path[2] === 'reason' || i.code !== 'custom'),
  );
  if (needs)
    throw new InputError(
      `summary: summary.sccGrants[${needs.path[1]}] ${GRANT_NEEDS}`,
    );
  const name =
    issues.find(i => grant(i) && i.path[2] === 'serviceAccount') ??
    issues.find(grant);
  if (name)
    throw new InputError(`summary: ${fieldName(name.path)} ${name.message}`);
  throw new InputError(
    `summary: ${fieldName(issues[0].path)}: ${issues[0].message}`,
  );
}
