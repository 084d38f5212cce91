/**
 * The description's "What merging does" section: what Argo CD deploys once the
 * pull request is merged, in sync order, and the images and storage it uses.
 */
import { SYNC_WAVES } from '@clearml-openshift/plugin-clearml-common';
import type { GitopsDeploymentSummary } from '../argocd/summary';
import type {
  PullRequestDescriptionInput,
  PullRequestSummary,
} from './description';
import { code, table, text } from './markdown';

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
export function merging(
  input: PullRequestDescriptionInput,
): string | undefined {
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

/** Where the tenant's images come from and which StorageClass its claims name. */
export function imagesAndStorage(
  summary: PullRequestSummary,
): string | undefined {
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
