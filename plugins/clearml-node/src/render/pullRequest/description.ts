/**
 * The GitOps pull request's description: what a platform engineer reads before
 * approving a tenant. Pure: the same summary always gives the same Markdown.
 */
import {
  SccGrant,
  SYNC_WAVES,
  tenantOwnerLabels,
  TenantImages,
} from '@clearml-openshift/plugin-clearml-common';
import type { GitopsDeploymentSummary } from '../argocd/summary';
import { code, fencedBlock, html, shellQuote, table, text } from './markdown';

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

/**
 * The `oc` command that applies one grant, for an admin when the template did not; every argument quoted.
 *
 * @public
 */
export function sccGrantCommand(
  grant: Pick<SccGrant, 'scc' | 'serviceAccount'>,
  namespace: string,
): string {
  return `oc adm policy add-scc-to-user ${shellQuote(grant.scc)} -z ${shellQuote(grant.serviceAccount)} -n ${shellQuote(namespace)}`;
}

/**
 * The `oc` command that makes the tenant's namespace exist, labelled for its
 * tenant, whether or not it exists yet (client-side apply: create, or add the
 * labels). Before the merge the namespace does not exist, and
 * `oc adm policy add-scc-to-user … -n <ns>` fails with `namespaces "<ns>" not found`;
 * so every suggested grant command comes after this one.
 *
 * @public
 */
export function tenantNamespaceCommand(
  namespace: string,
  tenant: string,
): string {
  const labels = Object.entries(tenantOwnerLabels(tenant))
    .map(([key, value]) => shellQuote(`${key}=${value}`))
    .join(' ');
  return (
    `oc create namespace ${shellQuote(namespace)} --dry-run=client -o yaml | ` +
    `oc label --local -f - ${labels} -o yaml | oc apply -f -`
  );
}

/** The commands an admin runs to apply the grants now: the namespace first, then each grant. */
function grantCommands(summary: PullRequestSummary, tenant: string): string[] {
  return [
    tenantNamespaceCommand(summary.namespace, tenant),
    ...summary.sccGrants.map(g => sccGrantCommand(g, summary.namespace)),
  ];
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

/** Whether the charts accept the cluster, as read when the files were rendered. */
function kubernetesVersionLine(
  gitops: GitopsDeploymentSummary,
): string | undefined {
  if (!gitops.kubernetesVersion) return undefined;
  if (!gitops.kubeVersionOverride)
    return `The charts accept the cluster's Kubernetes ${code(gitops.kubernetesVersion)}.`;
  return (
    `The charts refuse the cluster's Kubernetes ${code(gitops.kubernetesVersion)}: Argo CD renders them for ` +
    `${code(gitops.kubeVersionOverride)} (${code('helm.kubeVersion')}); see the departures below.`
  );
}

/** What Argo CD does once the pull request is merged, in sync order. */
function merging(input: PullRequestDescriptionInput): string | undefined {
  const gitops = input.summary.gitops;
  if (!gitops) return undefined;
  const ns = code(input.summary.namespace);
  const releases = gitops.releases.map(r => [
    r.application ? code(r.application) : '_your ApplicationSet_',
    code(r.release),
    `${code(r.chart)} ${code(r.version)}`,
  ]);
  const steps = [
    `1. Namespace ${ns}, labelled for tenant ${code(input.tenant)} (${code('namespace.yaml')}, sync wave ${SYNC_WAVES.namespace}).`,
    gitops.grantBindings.length
      ? `2. SCC RoleBindings ${gitops.grantBindings.map(code).join(', ')} (${code('scc-grants.yaml')}, wave ${SYNC_WAVES.grants}): the grants above, before any pod is created.`
      : `2. No SCC RoleBinding: every pod runs under ${code('restricted-v2')}.`,
    `3. The Helm release${gitops.releases.length === 1 ? '' : 's'} (wave ${SYNC_WAVES.chart}), each chart from its repository at the version below with its values file from this directory.`,
    `4. The Routes (${code('routes.yaml')}, wave ${SYNC_WAVES.routes}), when the tenant is exposed through Routes.`,
  ];
  const how =
    gitops.render === 'applications'
      ? `Argo CD in ${code(gitops.argocdNamespace)} picks up ${code('applications.yaml')} (the tenants' app-of-apps, docs/argocd.md); ` +
        `the server Application applies 1, 2 and 4 around its chart.`
      : `No Application is in this pull request (${code('clearml.gitops.argocd.render: plain')}): your ApplicationSet deploys this directory.`;
  const version = kubernetesVersionLine(gitops);
  return [
    '### What merging does',
    '',
    how,
    '',
    ...steps,
    '',
    table(['Application', 'Release', 'Chart'], releases),
    ...(version ? ['', version] : []),
  ].join('\n');
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

function imagesAndStorage(summary: PullRequestSummary): string | undefined {
  const { images, storageClassName } = summary;
  if (!images && !storageClassName) return undefined;
  const lines = ['### Images and storage', ''];
  if (images) {
    lines.push(
      images.registry
        ? `Every image is pulled through the mirror ${code(images.registry)} (${code('clearml.images.registry')}).`
        : 'Images are pulled from their public registries (no mirror configured in `clearml.images.registry`).',
      images.pullSecret
        ? `Every pod, the agent's task pods included, pulls with the Secret ${code(images.pullSecret)} in ${code(summary.namespace)}.`
        : 'No pull secret (anonymous pulls; Docker Hub rate-limits them).',
      '',
      ...images.references.map(r => `- ${code(r)}`),
    );
    for (const r of images.replaced)
      lines.push(
        '',
        `${code(r.from)} (the chart's pin) no longer exists; ${code(r.to)} is pulled instead: ${r.sources.map(text).join(', ')}.`,
      );
  }
  if (storageClassName)
    lines.push(
      '',
      `Every claim (fileserver, mongodb, redis, elasticsearch) names the StorageClass ${code(storageClassName)}.`,
    );
  return lines.join('\n');
}

function checklist(input: PullRequestDescriptionInput): string {
  const { summary } = input;
  const hostList = [
    summary.hosts.api,
    summary.hosts.files,
    summary.hosts.web,
    summary.hosts.appGateway,
  ]
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
  if (summary.images?.registry) {
    items.push(
      `The mirror ${code(summary.images.registry)} holds every image listed above, under the same repository path.`,
    );
  }
  if (summary.images?.pullSecret) {
    items.push(
      `The pull Secret ${code(summary.images.pullSecret)} is in ${code(summary.namespace)} before the pods start (the namespace is created by the merge; ` +
        'a platform-wide pull secret, or a secret operator that fills new namespaces, provides it).',
    );
  }
  if (summary.gitops) {
    items.push(
      `Argo CD may create the namespace and bind the SCC ClusterRoles (${code('system:openshift:scc:<scc>')}): ` +
        'its controller needs the rights in docs/argocd.md, or the sync stops at the grants.',
    );
    if (summary.gitops.kubeVersionOverride) {
      items.push(
        `The ${code('helm.kubeVersion')} override and its risk (departures above) are acceptable for this cluster.`,
      );
    }
  }
  if (summary.sccGrants.length && summary.gitops) {
    const commands = grantCommands(summary, input.tenant);
    items.push(
      summary.grantsApplied
        ? `The SCC grants above are already applied (the template ran ${code('clearml:scc:grant')}); merging keeps the same RoleBindings in Git. Each reason holds.`
        : `The SCC grants above are in ${code('scc-grants.yaml')}: merging applies them. Each reason holds. ` +
            `Where Argo CD may not bind SCC roles, a cluster admin applies them before the merge; the namespace exists only ` +
            `after it, so the first command creates it, labelled for the tenant (Argo CD then adopts it):\n\n${fencedBlock('sh', commands, '  ')}`,
    );
  } else if (summary.sccGrants.length) {
    if (summary.grantsApplied) {
      items.push(
        `The SCC grants above are the ones applied (the template ran ${code('clearml:scc:grant')}); each reason holds.`,
      );
    } else {
      const commands = grantCommands(summary, input.tenant);
      items.push(
        `A cluster admin applies the SCC grants before the pods start (the template did not), in the tenant's namespace ` +
          `(the first command creates it when it does not exist yet):\n\n${fencedBlock('sh', commands, '  ')}`,
      );
    }
  }
  items.push(
    `Every file is below ${code(`${input.targetPath}/`)}; no other tenant's directory changes.`,
  );
  return [
    '### Review checklist',
    '',
    ...items.map(item => `- [ ] ${item}`),
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
