/**
 * Where a change starts: the tenant's settings record and files as merged on the default branch of its GitOps
 * repository, read only after the one-open-pull-request rule allows a change; with its own change pull request open,
 * this run builds on that one's settings record (and updates it), still compared with the merged files. The
 * record is untrusted (anyone who may push there can edit it), so it must name the tenant its catalog entity is:
 * same namespace, cluster and repository.
 */
import { ConflictError, InputError } from '@backstage/errors';
import {
  parseRepoPickerUrl,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import {
  GitopsRepositoryReader,
  GitopsTarget,
  readTenantSettings,
} from '@clearml-openshift/plugin-clearml-node';
import { OpenTenantChange, refuseOtherOpenChanges } from './openTenantChanges';
import { TenantOfEntity } from './tenantOfEntity';

export interface TenantChangeStart {
  /** The settings as merged on the default branch: what the change is compared with. */
  settings: TenantSettings;
  /** The settings this run changes: those of the open change pull request when there is one, else the merged ones. */
  base: TenantSettings;
  /** Every file of the tenant's directory on the default branch, by repository path. */
  files: Map<string, Buffer>;
  defaultBranch: string;
  /** The tenant's change pull request already open (this run updates it). */
  openChange?: OpenTenantChange;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The record's identity against the entity's: a record that names anything else is refused. */
function checkRecordIsTheTenants(
  settings: TenantSettings,
  tenant: TenantOfEntity,
  where: string,
): void {
  const repository = parseRepoPickerUrl(settings.repoUrl);
  const mismatch = [
    settings.namespace !== tenant.namespace &&
      `namespace ${settings.namespace} (the entity's: ${tenant.namespace})`,
    settings.cluster !== tenant.cluster &&
      `cluster ${settings.cluster} (the entity's: ${tenant.cluster})`,
    !(
      repository &&
      same(repository.host, tenant.anchor.repository.host) &&
      same(repository.owner, tenant.anchor.repository.owner) &&
      same(repository.repo, tenant.anchor.repository.repo)
    ) && `repository ${settings.repoUrl} (the entity's: ${where})`,
  ].filter((m): m is string => !!m);
  if (mismatch.length) {
    throw new ConflictError(
      `entityRef: the settings record of ${tenant.entityRef} names ${mismatch.join(', ')}; a change re-renders only ` +
        'the tenant its entity is. Correct the record on the default branch first. Nothing was written',
    );
  }
}

/** The settings record and files on the reader's branch; a missing or malformed record is refused naming `entityRef`. */
async function readStart(repository: GitopsRepositoryReader, tenant: string) {
  try {
    return await readTenantSettings(repository, tenant);
  } catch (error) {
    const e = error as Error;
    if (e.name !== 'NotFoundError' && e.name !== 'InputError') throw error;
    throw new ConflictError(`entityRef: ${e.message}. Nothing was written`);
  }
}

/** Reads the tenant's start, refusing (naming `entityRef`) what a change cannot start from. */
export async function readChangeStart(
  target: GitopsTarget,
  tenant: TenantOfEntity,
): Promise<TenantChangeStart> {
  const where = `${target.host}/${target.owner}/${target.repo}`;
  target.preflight();
  if (!target.readRepository) {
    throw new InputError(
      `entityRef: the tenant's GitOps repository ${where} is a ${target.kind} target, which this action cannot ` +
        'read the tenant from yet (it has no repository reader); nothing was written',
    );
  }
  const repository = await target.readRepository();
  // Its create, upgrade or retire pull request open: refused; its change pull request open: updated.
  const openChange = await refuseOtherOpenChanges(repository, tenant, 'change');
  const read = await readStart(repository, tenant.tenant);
  checkRecordIsTheTenants(read.settings, tenant, where);
  // An open change pull request is built on: this run's changes apply to its settings (read and checked alike).
  let base = read.settings;
  if (openChange) {
    const open = await readStart(
      {
        ...repository,
        defaultBranch: openChange.branch,
        filesIn: dir => repository.filesIn(dir, openChange.branch),
      },
      tenant.tenant,
    );
    checkRecordIsTheTenants(open.settings, tenant, where);
    base = open.settings;
  }
  return {
    settings: read.settings,
    base,
    files: read.files,
    defaultBranch: read.defaultBranch,
    ...(openChange ? { openChange } : {}),
  };
}
