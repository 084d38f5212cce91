/**
 * A tenant's day-2 pull requests (change, upgrade, retire): each kind comes from its own branch,
 * `clearml-<kind>/<tenant>`, outside `clearml/` so that no tenant's own branch (`clearml/<tenant>`, any tenant name)
 * can ever be one. They edit the same files, so a tenant has at most one open at a time: every day-2 action refuses
 * while another of the tenant's is open. The tenant's settings record sits in its directory beside the files rendered
 * from it; day-2 actions start from it.
 */

/** @public */
export const TENANT_DAY2_KINDS = ['change', 'upgrade', 'retire'] as const;

/** @public */
export type TenantDay2Kind = (typeof TENANT_DAY2_KINDS)[number];

/**
 * The branch of a tenant's day-2 pull request of `kind`: `clearml-change/<tenant>`, `clearml-upgrade/<tenant>`,
 * `clearml-retire/<tenant>`.
 *
 * @public
 */
export function tenantDay2BranchName(
  kind: TenantDay2Kind,
  tenant: string,
): string {
  return `clearml-${kind}/${tenant}`;
}

/**
 * The branch a tenant's change pull request comes from: `clearml-change/<tenant>`.
 *
 * @public
 */
export function tenantChangeBranchName(tenant: string): string {
  return tenantDay2BranchName('change', tenant);
}

/**
 * The branch a tenant's chart upgrade pull request comes from: `clearml-upgrade/<tenant>`.
 *
 * @public
 */
export function tenantUpgradeBranchName(tenant: string): string {
  return tenantDay2BranchName('upgrade', tenant);
}

/**
 * The tenant's settings record in its GitOps directory: what it was requested (or last changed) with, which the
 * day-2 actions re-render its files from. Data only: no manifest, Argo CD never applies it.
 *
 * @public
 */
export const TENANT_SETTINGS_FILE = 'tenant-settings.yaml';
