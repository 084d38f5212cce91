/**
 * What a tenant's change pull request says and is: its title, its description (from the settings moved, the
 * effective change of the files and the claims a tier change resizes), and the GitopsChange that replaces the
 * tenant's directory with exactly the re-rendered files (files no longer rendered are deleted).
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { TenantSettings } from '@clearml-openshift/plugin-clearml-common';
import {
  changePullRequestTitle,
  ClaimResize,
  claimResizes,
  effectiveChange,
  EffectiveChange,
  GitopsChange,
  GitopsTarget,
  isEmptyChange,
  readTiers,
  renderChangeDescription,
} from '@clearml-openshift/plugin-clearml-node';
import { settingValue } from './changeSettings';
import { ChangedDirectory } from './changeRender';
import { TenantOfEntity } from './tenantOfEntity';

export interface ChangeContent {
  title: string;
  description: string;
  change: EffectiveChange;
  claimResizes: ClaimResize[];
}

function titlePart(
  field: string,
  before: TenantSettings,
  after: TenantSettings,
): string {
  const a = settingValue(after, field);
  if (field === 'agent.enabled') return `agent ${a === 'true' ? 'on' : 'off'}`;
  if (field === 'appGateway.enabled')
    return `app gateway ${a === 'true' ? 'on' : 'off'}`;
  if (field === 'description') return 'description';
  const b = settingValue(before, field);
  return `${field} ${b || 'none'} → ${a || 'none'}`;
}

/** The tier's claims before and after; refused when a claim would shrink (Kubernetes never shrinks a claim). */
function tierClaims(
  config: Config,
  current: TenantSettings,
  next: TenantSettings,
): ClaimResize[] {
  if (current.tier === next.tier) return [];
  const tiers = readTiers(config);
  const before = tiers.find(t => t.name === current.tier);
  const after = tiers.find(t => t.name === next.tier);
  if (!before || !after) return [];
  const resizes = claimResizes(before, after);
  const shrunk = resizes.filter(r => !r.grows);
  if (shrunk.length) {
    throw new InputError(
      `tier: ${next.tier} would shrink the claims of ${shrunk.map(r => `${r.claim} (${r.before} → ${r.after})`).join(', ')}; ` +
        'Kubernetes never shrinks a persistent volume claim, so the sync would fail. Choose a tier at least as large ' +
        `as ${current.tier} for storage, or move the data to a new tenant. Nothing was written`,
    );
  }
  return resizes;
}

/** The pull request's text, refused when the re-rendered files are the merged ones. */
export function changeContent(options: {
  config: Config;
  tenant: TenantOfEntity;
  current: TenantSettings;
  next: TenantSettings;
  changed: string[];
  currentFiles: Map<string, Buffer>;
  directory: ChangedDirectory;
  directoryPath: string;
  defaultBranch: string;
  requestedBy?: string;
  reason?: string;
}): ChangeContent {
  const { tenant, current, next, changed, directory } = options;
  const change = effectiveChange(options.currentFiles, directory.files);
  if (isEmptyChange(change)) {
    throw new InputError(
      `${changed[0] ?? 'entityRef'}: the change leaves every file of ${options.directoryPath}/ as it is on ` +
        `${options.defaultBranch}; nothing to change, and nothing was written`,
    );
  }
  const resizes = tierClaims(options.config, current, next);
  const hostsChanged =
    current.exposure !== next.exposure ||
    current.appGateway.enabled !== next.appGateway.enabled;
  const hosts = directory.rendered.routes.hosts;
  const description = renderChangeDescription({
    tenant: tenant.tenant,
    entityRef: tenant.entityRef,
    cluster: tenant.cluster,
    namespace: tenant.namespace,
    targetPath: options.directoryPath,
    defaultBranch: options.defaultBranch,
    settings: changed.map(field => ({
      field,
      before: settingValue(current, field),
      after: settingValue(next, field),
    })),
    change,
    claimResizes: resizes,
    sccGrants: directory.rendered.values.sccGrants,
    ...(hostsChanged
      ? { hosts: Object.values(hosts).filter((h): h is string => !!h) }
      : {}),
    catalogInfoChanged: directory.catalogInfoChanged,
    ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  });
  return {
    title: changePullRequestTitle(
      tenant.tenant,
      changed
        .filter(f => f !== 'agent.queue' || next.agent.enabled)
        .map(f => titlePart(f, current, next)),
    ),
    description,
    change,
    claimResizes: resizes,
  };
}

/** The change that replaces the tenant's directory with exactly these files. */
export function tenantChangeOf(options: {
  target: GitopsTarget;
  branchName: string;
  directoryPath: string;
  files: Map<string, string>;
  content: ChangeContent;
}): GitopsChange {
  const { target, content } = options;
  return {
    host: target.host,
    owner: target.owner,
    repo: target.repo,
    branchName: options.branchName,
    targetPath: options.directoryPath,
    files: [...options.files].map(([path, text]) => ({
      path,
      content: Buffer.from(text, 'utf8'),
      mode: '100644' as const,
    })),
    title: content.title,
    description: () => content.description,
    commitMessage: `${content.title}\n\nRe-renders ${options.directoryPath}/ from the changed settings, by Backstage.`,
    labels: ['clearml', 'change'],
    reviewers: [],
    teamReviewers: [],
    draft: false,
    // The directory is replaced: files no longer rendered are deleted; an open change pull request is updated.
    update: true,
  };
}
