/**
 * The retire pull request's description: what merging removes from the cluster, what stays (the data policy and
 * how to delete kept data later), the grants and credentials that go, and what happens to the catalog entity.
 * Pure: made from the tenant's files as they are on the target branch and the data policy applied.
 */
import yaml from 'js-yaml';
import {
  ARGOCD_KEEP_ON_DELETE,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  TenantDataPolicy,
} from '@clearml-openshift/plugin-clearml-common';
import { RESOURCES_FINALIZER } from '../argocd/applications';
import { code, fencedBlock, shellQuote, table, text } from './markdown';

/**
 * An object the tenant's files deploy, as a reviewer needs it named.
 *
 * @public
 */
export interface RetiredObject {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * What the tenant's directory deploys, read from its files (`applications.yaml`, `scc-grants.yaml`,
 * `credentials.yaml`, the other manifests).
 *
 * @public
 */
export interface TenantDeployment {
  /** The Argo CD Applications (one per Helm release) and whether they carry the resources finalizer. */
  applications: Array<
    RetiredObject & { finalizer: boolean; chart?: string; version?: string }
  >;
  /** The SCC RoleBindings. */
  grants: Array<RetiredObject & { serviceAccounts: string[] }>;
  /** ExternalSecrets and Secrets of the tenant's credentials. */
  credentials: RetiredObject[];
  /** Every other object of the plain manifests (Namespace, NetworkPolicies, quota, Routes, certificates). */
  manifests: RetiredObject[];
}

function documents(content: string | undefined): any[] {
  if (!content) return [];
  try {
    return (yaml.loadAll(content) as any[]).filter(
      d => d && typeof d === 'object',
    );
  } catch {
    return [];
  }
}

function named(doc: any): RetiredObject {
  return {
    kind: String(doc.kind ?? '?'),
    name: String(doc.metadata?.name ?? '?'),
    ...(doc.metadata?.namespace
      ? { namespace: String(doc.metadata.namespace) }
      : {}),
  };
}

/**
 * Reads what the tenant's files deploy; `files` maps file names in the tenant's directory to their text.
 *
 * @public
 */
export function tenantDeploymentOf(
  files: Record<string, string>,
): TenantDeployment {
  const deployment: TenantDeployment = {
    applications: [],
    grants: [],
    credentials: [],
    manifests: [],
  };
  for (const [file, content] of Object.entries(files).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (
      !/\.ya?ml$/.test(file) ||
      file === 'catalog-info.yaml' ||
      /values\.ya?ml$/.test(file)
    )
      continue;
    for (const doc of documents(content)) {
      if (file === 'applications.yaml' && doc.kind === 'Application') {
        const chartSource = [
          ...(doc.spec?.sources ?? []),
          doc.spec?.source,
        ].find((s: any) => s?.chart);
        deployment.applications.push({
          ...named(doc),
          finalizer: (doc.metadata?.finalizers ?? []).some((f: string) =>
            f.startsWith(RESOURCES_FINALIZER),
          ),
          ...(chartSource
            ? {
                chart: String(chartSource.chart),
                version: String(chartSource.targetRevision),
              }
            : {}),
        });
      } else if (file === 'scc-grants.yaml' && doc.kind === 'RoleBinding') {
        deployment.grants.push({
          ...named(doc),
          serviceAccounts: (doc.subjects ?? [])
            .filter((s: any) => s?.kind === 'ServiceAccount')
            .map((s: any) => String(s.name)),
        });
      } else if (file === 'credentials.yaml') {
        deployment.credentials.push(named(doc));
      } else {
        deployment.manifests.push(named(doc));
      }
    }
  }
  return deployment;
}

/** @public */
export interface RetireDescriptionInput {
  tenant: string;
  entityRef: string;
  cluster: string;
  namespace: string;
  /** The tenant's directory in the repository. */
  targetPath: string;
  deployment: TenantDeployment;
  /** Repository paths the pull request removes. */
  removedFiles: string[];
  dataPolicy: TenantDataPolicy;
  /** With `keep`: the claims marked to be kept (name and requested size). */
  keptClaims: Array<{ name: string; storage?: string }>;
  /** Who asked, and why (free text, escaped). */
  requestedBy?: string;
  reason?: string;
  /** The Argo CD namespace the Applications live in. */
  argocdNamespace: string;
}

/**
 * The title of a tenant's retire pull request.
 *
 * @public
 */
export function retirePullRequestTitle(
  tenant: string,
  cluster: string,
): string {
  return `Retire ClearML tenant ${tenant} on ${cluster}`;
}

function objectLine(o: RetiredObject): string {
  return `${code(`${o.kind}/${o.name}`)}${o.namespace ? ` in ${code(o.namespace)}` : ''}`;
}

function dataSection(input: RetireDescriptionInput): string {
  const ns = input.namespace;
  if (input.dataPolicy === 'delete') {
    return [
      '### Data: deleted',
      '',
      `The data policy is **delete**: Argo CD deletes the Namespace ${code(ns)}, and with it every PersistentVolumeClaim ` +
        "in it (the ClearML server's MongoDB, Elasticsearch, Redis and fileserver data). Their volumes follow their " +
        "StorageClass's reclaim policy (`Delete` for OpenShift's default classes: the data is gone). This cannot be undone.",
    ].join('\n');
  }
  const claims = input.keptClaims.length
    ? table(
        ['claim', 'size'],
        input.keptClaims.map(c => [
          code(c.name),
          c.storage ? code(c.storage) : '?',
        ]),
      )
    : '_No claim exists yet in the namespace._';
  return [
    '### Data: kept',
    '',
    `The data policy is **keep** (the default): the Namespace ${code(ns)} and its PersistentVolumeClaims carry ` +
      `${code(`${ARGOCD_SYNC_OPTIONS_ANNOTATION}: ${ARGOCD_KEEP_ON_DELETE}`)} (set by Backstage before this pull ` +
      "request was opened), so Argo CD's cascading deletion leaves them. No pod runs there after the merge; the " +
      'claims keep their volumes.',
    '',
    claims,
    '',
    'To delete the data later (after a backup if needed), a cluster admin deletes the namespace, or single claims:',
    '',
    fencedBlock('sh', [
      `oc delete namespace ${shellQuote(ns)}`,
      `# or: oc delete pvc -n ${shellQuote(ns)} <claim>`,
    ]),
    '',
    `The tenant name stays taken while the namespace exists (it is labelled for tenant ${code(input.tenant)}).`,
  ].join('\n');
}

/**
 * The generated body of a retire pull request.
 *
 * @public
 */
export function renderRetireDescription(input: RetireDescriptionInput): string {
  const d = input.deployment;
  const apps = d.applications.length
    ? table(
        ['Application', 'chart', 'finalizer'],
        d.applications.map(a => [
          code(a.name),
          a.chart ? code(`${a.chart} ${a.version ?? ''}`.trim()) : '-',
          a.finalizer
            ? code(RESOURCES_FINALIZER)
            : '**none: its objects stay**',
        ]),
      )
    : '_The directory holds no Applications (`render: plain`): the objects it deployed are not removed by Argo CD._';
  const sections = [
    `## Retire ClearML tenant ${code(input.tenant)}`,
    [
      `Removes ${code(`${input.targetPath}/`)} (${input.removedFiles.length} files): the tenant ${code(input.entityRef)}, ` +
        `namespace ${code(input.namespace)} on cluster ${code(input.cluster)}.`,
      ...(input.requestedBy
        ? ['', `Requested by ${code(input.requestedBy)}.`]
        : []),
      ...(input.reason ? ['', `Reason: ${text(input.reason)}`] : []),
    ].join('\n'),
    [
      '### What merging does',
      '',
      `1. The root Application (app of apps) prunes the tenant's Applications from ${code(input.argocdNamespace)}.`,
      "2. Each one's finalizer deletes what it deployed: the Helm release (Deployments, StatefulSets, Services, " +
        'ConfigMaps, Secrets, Routes) and the manifests of the directory listed below.',
      '3. The Applications are gone; Backstage then removes the catalog entity (the clearml backend checks each ' +
        'retired tenant: retire pull request merged, no Application left).',
      '',
      apps,
    ].join('\n'),
    [
      '### SCC grants and credentials removed',
      '',
      ...(d.grants.length
        ? d.grants.map(
            g =>
              `- ${objectLine(g)} (ServiceAccounts ${g.serviceAccounts.map(code).join(', ') || 'none'})`,
          )
        : ['- no SCC grant']),
      ...(d.credentials.length
        ? d.credentials.map(
            c => `- ${objectLine(c)} and the Secret it generated`,
          )
        : [
            '- no credentials manifest: with direct delivery the Secret `clearml-credentials` was created by Backstage ' +
              'and goes with the namespace (with the keep policy: when the namespace is deleted)',
          ]),
      ...(d.manifests.length
        ? [
            '',
            'Other objects deleted:',
            '',
            ...d.manifests.map(m => `- ${objectLine(m)}`),
          ]
        : []),
    ].join('\n'),
    dataSection(input),
    [
      '### Before you merge',
      '',
      '- [ ] The owner agrees the tenant goes, and its users exported what they need from ClearML',
      `- [ ] The data policy (**${input.dataPolicy}**) is the one wanted`,
      '- [ ] No other pull request changes this tenant',
    ].join('\n'),
    [
      '### Files removed',
      '',
      ...[...input.removedFiles].sort().map(f => `- ${code(f)}`),
    ].join('\n'),
    '<sub>Opened by the Backstage action `clearml:tenant:retire`.</sub>',
  ];
  return `${sections.join('\n\n')}\n`;
}
