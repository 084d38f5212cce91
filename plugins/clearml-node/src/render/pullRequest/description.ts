/**
 * The GitOps pull request's description: what a platform engineer reads before
 * approving a tenant. Pure: the same summary always gives the same Markdown.
 * The sections are built here and beside it (merging.ts, checklist.ts; the
 * admin's `oc` commands in commands.ts).
 */
import {
  SccGrant,
  TenantImages,
} from '@clearml-openshift/plugin-clearml-common';
import type { GitopsDeploymentSummary } from '../argocd/summary';
import { checklist } from './checklist';
import { imagesAndStorage, merging } from './merging';
import { code, html, table, text } from './markdown';

/**
 * What the description is made from; the template fills it from the render actions' outputs.
 *
 * @public
 */
export interface PullRequestSummary {
  cluster: string;
  namespace: string;
  edition: string;
  securityProfile: string;
  hosts: { api: string; files: string; web: string; appGateway?: string };
  sccGrants: SccGrant[];
  /** Where the rendered files deliberately depart from the vendor documentation. */
  deviations?: string[];
  /** True when the template already applied the grants (`clearml:scc:grant`); else an admin must. */
  grantsApplied?: boolean;
  /** What Argo CD deploys from the merged files (`clearml:argocd:render`'s summary output). */
  gitops?: GitopsDeploymentSummary;
  /** What the tenant pulls (`clearml:values:render`'s images output). */
  images?: TenantImages;
  /** The StorageClass every claim names (`clearml:values:render`'s storageClassName output). */
  storageClassName?: string;
}

/** @public */
export interface PullRequestDescriptionInput {
  tenant: string;
  summary: PullRequestSummary;
  /** Repository directory the tenant's files land in. */
  targetPath: string;
  /** Repository paths of every file the pull request puts in place. */
  files: string[];
  /** Files an update removes from the tenant's directory (no longer rendered). */
  removedFiles?: string[];
}

/**
 * SCCs a reviewer must look at twice: they let pods run as root, or as anything.
 *
 * @public
 */
export const FLAGGED_SCCS: readonly string[] = ['anyuid', 'privileged'];

const EDITION_NAMES: Record<string, string> = {
  oss: 'open source',
  enterprise: 'Enterprise',
};

/** @public */
export function defaultPullRequestTitle(
  tenant: string,
  cluster: string,
): string {
  return `ClearML tenant ${tenant} on ${cluster}`;
}

function overview(input: PullRequestDescriptionInput): string {
  const { summary } = input;
  const edition = EDITION_NAMES[summary.edition]
    ? `${EDITION_NAMES[summary.edition]} (${code(summary.edition)})`
    : code(summary.edition);
  const whatMergingDoes = summary.gitops
    ? 'Merging it deploys the tenant: see **What merging does** below.'
    : 'It holds the Helm values and Routes only: a GitOps controller needs its own Application for them.';
  return [
    `## ClearML tenant ${code(input.tenant)} on ${code(summary.cluster)}`,
    '',
    `This pull request puts the rendered files of tenant ${code(input.tenant)} in ${code(`${input.targetPath}/`)}. ${whatMergingDoes}`,
    '',
    table(
      ['', ''],
      [
        ['**Tenant**', code(input.tenant)],
        ['**Cluster**', code(summary.cluster)],
        ['**Namespace**', code(summary.namespace)],
        ['**Edition**', edition],
        ['**Security profile**', code(summary.securityProfile)],
      ],
    ),
  ].join('\n');
}

function hosts(summary: PullRequestSummary): string {
  const rows = [
    ['Web app', summary.hosts.web],
    ['API server', summary.hosts.api],
    ['File server', summary.hosts.files],
    ...(summary.hosts.appGateway
      ? [['App gateway', summary.hosts.appGateway]]
      : []),
  ].map(([component, host]) => [
    component,
    code(host),
    host.includes('*') ? 'wildcard' : text(`https://${host}`),
  ]);
  return ['### Hosts', '', table(['Component', 'Host', 'URL'], rows)].join(
    '\n',
  );
}

function grants(summary: PullRequestSummary): string {
  if (summary.sccGrants.length === 0) {
    return [
      '### SCC grants',
      '',
      `None: every pod runs under the cluster's default ${code('restricted-v2')} SCC.`,
    ].join('\n');
  }
  const rows = summary.sccGrants.map(g => [
    FLAGGED_SCCS.includes(g.scc) ? `⚠️ **${code(g.scc)}**` : code(g.scc),
    code(g.serviceAccount),
    text(g.reason),
  ]);
  const flagged = [
    ...new Set(
      summary.sccGrants
        .filter(g => FLAGGED_SCCS.includes(g.scc))
        .map(g => g.scc),
    ),
  ];
  const lines = [
    '### SCC grants',
    '',
    table(['SCC', 'ServiceAccount', 'Reason'], rows),
  ];
  if (flagged.includes('privileged')) {
    lines.push(
      '',
      '> [!CAUTION]',
      `> A ${code('privileged')} grant lets that account's pods run with full host access. ` +
        'It is never rendered by default: someone asked for it. Approve only with that reason in mind.',
    );
  }
  if (flagged.includes('anyuid')) {
    lines.push(
      '',
      '> [!WARNING]',
      `> ${code('anyuid')} lets pods of these accounts run as any user ID, root included.`,
    );
  }
  return lines.join('\n');
}

function deviations(summary: PullRequestSummary): string {
  const items = summary.deviations ?? [];
  return [
    '### Where these files depart from the vendor documentation',
    '',
    items.length
      ? items.map(d => `- ${text(d)}`).join('\n')
      : '_The render step reported none._ Each rendered file states its own departures in its header comment.',
  ].join('\n');
}

function files(input: PullRequestDescriptionInput): string {
  const sorted = [...input.files].sort();
  return [
    '### Files',
    '',
    // Markdown is not rendered inside <summary>: use HTML there.
    `<details><summary>${sorted.length} file${sorted.length === 1 ? '' : 's'} in <code>${html(`${input.targetPath}/`)}</code></summary>`,
    '',
    ...sorted.map(f => `- ${code(f)}`),
    '',
    '</details>',
    ...(input.removedFiles?.length
      ? [
          '',
          '**Removed** (no longer rendered):',
          '',
          ...[...input.removedFiles].sort().map(f => `- ${code(f)}`),
        ]
      : []),
  ].join('\n');
}

/**
 * The generated pull-request body.
 *
 * @public
 */
export function renderPullRequestDescription(
  input: PullRequestDescriptionInput,
): string {
  const sections: Array<string | undefined> = [
    overview(input),
    hosts(input.summary),
    grants(input.summary),
    merging(input),
    imagesAndStorage(input.summary),
    deviations(input.summary),
    checklist(input),
    files(input),
    '<sub>Opened by the Backstage action `clearml:gitops:pull-request`.</sub>',
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}
