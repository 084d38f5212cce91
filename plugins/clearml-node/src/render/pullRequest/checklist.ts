/**
 * The description's review checklist: DNS, TLS, wildcard Routes, the image
 * mirror and pull secret, Argo CD's rights, and how the SCC grants are applied
 * (with the admin's commands when nobody else applies them).
 */
import { grantCommands } from './commands';
import type { PullRequestDescriptionInput } from './description';
import { code, fencedBlock } from './markdown';

/** What a reviewer checks before approving, as task-list items. */
export function checklist(input: PullRequestDescriptionInput): string {
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
