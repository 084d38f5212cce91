/**
 * The GitOps pull request's description: what a platform engineer reads before
 * approving a tenant. Pure: the same summary always gives the same Markdown.
 */
import { SccGrant } from '@clearml-openshift/plugin-clearml-common';
import { code, table, text } from './markdown';

/** What the description is made from; the template fills it from the render actions' outputs. */
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
}

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

/** SCCs a reviewer must look at twice: they let pods run as root, or as anything. */
export const FLAGGED_SCCS: readonly string[] = ['anyuid', 'privileged'];

const EDITION_NAMES: Record<string, string> = { oss: 'open source', enterprise: 'Enterprise' };

export function defaultPullRequestTitle(tenant: string, cluster: string): string {
  return `ClearML tenant ${tenant} on ${cluster}`;
}

/** The `oc` command that applies one grant, for an admin when the template did not. */
export function sccGrantCommand(grant: Pick<SccGrant, 'scc' | 'serviceAccount'>, namespace: string): string {
  return `oc adm policy add-scc-to-user ${grant.scc} -z ${grant.serviceAccount} -n ${namespace}`;
}

function overview(input: PullRequestDescriptionInput): string {
  const { summary } = input;
  const edition = EDITION_NAMES[summary.edition] ? `${EDITION_NAMES[summary.edition]} (${code(summary.edition)})` : code(summary.edition);
  return [
    `## ClearML tenant ${code(input.tenant)} on ${code(summary.cluster)}`,
    '',
    `This pull request puts the rendered files of tenant ${code(input.tenant)} in ${code(`${input.targetPath}/`)}. ` +
      'Once merged, the GitOps controller applies them to the cluster.',
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
    ...(summary.hosts.appGateway ? [['App gateway', summary.hosts.appGateway]] : []),
  ].map(([component, host]) => [component, code(host), host.includes('*') ? 'wildcard' : `https://${host}`]);
  return ['### Hosts', '', table(['Component', 'Host', 'URL'], rows)].join('\n');
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
  const flagged = [...new Set(summary.sccGrants.filter(g => FLAGGED_SCCS.includes(g.scc)).map(g => g.scc))];
  const lines = ['### SCC grants', '', table(['SCC', 'ServiceAccount', 'Reason'], rows)];
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

function checklist(input: PullRequestDescriptionInput): string {
  const { summary } = input;
  const hostList = [summary.hosts.api, summary.hosts.files, summary.hosts.web, summary.hosts.appGateway]
    .filter((h): h is string => !!h)
    .map(code)
    .join(', ');
  const items = [
    `DNS: ${hostList} resolve to the cluster's router.`,
    'TLS: the router serves a certificate valid for these hosts (edge termination). ' +
      `A wildcard certificate covers one label only: ${code('*.apps.<cluster domain>')} does not cover hosts deeper below it.`,
  ];
  if (summary.hosts.appGateway) {
    items.push(
      `The IngressController admits wildcard Routes: ${code('spec.routeAdmission.wildcardPolicy: WildcardsAllowed')} ` +
        `(else the app gateway Route stays ${code('RouteNotAdmitted')}: "wildcard routes are not allowed").`,
    );
  }
  if (summary.sccGrants.length) {
    if (summary.grantsApplied) {
      items.push(`The SCC grants above are the ones applied (the template ran ${code('clearml:scc:grant')}); each reason holds.`);
    } else {
      const commands = summary.sccGrants.map(g => `  ${sccGrantCommand(g, summary.namespace)}`).join('\n');
      items.push(
        `A cluster admin applies the SCC grants before the pods start (the template did not):\n\n` +
          `  \`\`\`sh\n${commands}\n  \`\`\``,
      );
    }
  }
  items.push(`Every file is below ${code(`${input.targetPath}/`)}; no other tenant's directory changes.`);
  return ['### Review checklist', '', ...items.map(item => `- [ ] ${item}`)].join('\n');
}

function files(input: PullRequestDescriptionInput): string {
  const sorted = [...input.files].sort();
  return [
    '### Files',
    '',
    // Markdown is not rendered inside <summary>: use HTML there.
    `<details><summary>${sorted.length} file${sorted.length === 1 ? '' : 's'} in <code>${text(`${input.targetPath}/`)}</code></summary>`,
    '',
    ...sorted.map(f => `- ${code(f)}`),
    '',
    '</details>',
    ...(input.removedFiles?.length
      ? ['', '**Removed** (no longer rendered):', '', ...[...input.removedFiles].sort().map(f => `- ${code(f)}`)]
      : []),
  ].join('\n');
}

/** The generated pull-request body. */
export function renderPullRequestDescription(input: PullRequestDescriptionInput): string {
  const sections = [
    overview(input),
    hosts(input.summary),
    grants(input.summary),
    deviations(input.summary),
    checklist(input),
    files(input),
    '<sub>Opened by the Backstage action `clearml:gitops:pull-request`.</sub>',
  ];
  return `${sections.join('\n\n')}\n`;
}
