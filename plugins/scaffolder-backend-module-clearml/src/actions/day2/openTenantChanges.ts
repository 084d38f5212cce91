/**
 * One rule for every day-2 action: a tenant has at most one open pull request that edits its files. Its create
 * pull request (`clearml/<tenant>`, or the branch its entity names) and its change, upgrade and retire pull requests
 * (`clearml-<kind>/<tenant>`) all replace the same directory, so an action refuses while another of them is open.
 * The action's own kind is not a refusal: the caller updates that pull request (a change run again updates the open
 * change).
 */
import { ConflictError } from '@backstage/errors';
import {
  TENANT_DAY2_KINDS,
  TenantDay2Kind,
  tenantDay2BranchName,
} from '@clearml-openshift/plugin-clearml-common';
import type {
  GitopsRepositoryReader,
  GitopsTarget,
} from '@clearml-openshift/plugin-clearml-node';
import { TenantOfEntity } from './tenantOfEntity';

/** An open pull request of the tenant: which kind, its branch, and the sentence the repository reader says. */
export interface OpenTenantChange {
  kind: 'create' | TenantDay2Kind;
  branch: string;
  open: string;
}

const LABEL: Record<OpenTenantChange['kind'], string> = {
  create: 'pull request',
  change: 'change pull request',
  upgrade: 'upgrade pull request',
  retire: 'retire pull request',
};

/** Every open pull request of the tenant, its create (or first) pull request first. */
export async function openTenantChanges(
  repository: GitopsRepositoryReader,
  tenant: Pick<TenantOfEntity, 'tenant' | 'branch'>,
): Promise<OpenTenantChange[]> {
  const branches: Array<Pick<OpenTenantChange, 'kind' | 'branch'>> = [
    { kind: 'create', branch: tenant.branch },
    ...TENANT_DAY2_KINDS.map(kind => ({
      kind,
      branch: tenantDay2BranchName(kind, tenant.tenant),
    })),
  ];
  const found: OpenTenantChange[] = [];
  for (const { kind, branch } of branches) {
    const open = await repository.openChange(branch);
    if (open) found.push({ kind, branch, open });
  }
  return found;
}

/**
 * Refuses (ConflictError naming `entityRef`) while a pull request of the tenant other than `kind`'s own is open;
 * returns the action's own open pull request, which the caller updates.
 */
export async function refuseOtherOpenChanges(
  repository: GitopsRepositoryReader,
  tenant: Pick<TenantOfEntity, 'tenant' | 'branch' | 'entityRef'>,
  kind: TenantDay2Kind,
): Promise<OpenTenantChange | undefined> {
  const open = await openTenantChanges(repository, tenant);
  const other = open.find(o => o.kind !== kind);
  if (other) {
    throw new ConflictError(
      `entityRef: ${tenant.entityRef} has an open ${LABEL[other.kind]} (${other.open}); a tenant has one open pull ` +
        `request at a time: merge or close it first, then ${kind} the tenant. Nothing was written`,
    );
  }
  return open.find(o => o.kind === kind);
}

/**
 * The same rule again under the tenant's lease, just before the push: the lease serialises pushes, not the checks
 * before them, so another run may have opened a pull request of the tenant after this one checked.
 */
export async function refuseOtherOpenChangesUnderLease(
  target: GitopsTarget,
  tenant: Pick<TenantOfEntity, 'tenant' | 'branch' | 'entityRef'>,
  kind: TenantDay2Kind,
): Promise<void> {
  if (target.readRepository)
    await refuseOtherOpenChanges(await target.readRepository(), tenant, kind);
}
