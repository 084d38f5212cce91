/**
 * Retiring a tenant: the branch its retire pull request comes from, the data
 * policy a platform applies to its persistent volume claims, the Argo CD
 * annotation that keeps an object when its Application is deleted. Who may
 * change or retire a tenant: `clearmlTenantManagePermission` (permissions.ts).
 */
import { tenantDay2BranchName } from './tenantDay2';

/**
 * The branch a tenant's retire pull request comes from: `clearml-retire/<tenant>`. Outside `clearml/`, so no
 * tenant's own branch (`clearml/<tenant>`, any tenant name) can ever be it.
 *
 * @public
 */
export function tenantRetireBranchName(tenant: string): string {
  return tenantDay2BranchName('retire', tenant);
}

/**
 * What happens to a retired tenant's data. `keep` (the default): the Namespace and its PersistentVolumeClaims stay
 * when Argo CD deletes the tenant's Applications; everything else goes. `delete`: Argo CD deletes the Namespace, and
 * with it every claim (their volumes follow their StorageClass's reclaim policy).
 *
 * @public
 */
export const TENANT_DATA_POLICIES = ['keep', 'delete'] as const;

/** @public */
export type TenantDataPolicy = (typeof TENANT_DATA_POLICIES)[number];

/** @public */
export const DEFAULT_TENANT_DATA_POLICY: TenantDataPolicy = 'keep';

/**
 * Argo CD's per-object sync options annotation.
 *
 * @public
 */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * The sync option with which Argo CD's cascading deletion of an Application (its `resources-finalizer`) leaves the
 * object in place (argo-cd controller/appcontroller.go `shouldBeDeleted`).
 *
 * @public
 */
export const ARGOCD_KEEP_ON_DELETE = 'Delete=false';

/**
 * The annotation value with `option` set, other options kept (`Prune=false,Delete=true` + `Delete=false` →
 * `Prune=false,Delete=false`).
 *
 * @public
 */
export function withSyncOption(
  existing: string | undefined,
  option: string,
): string {
  const key = option.split('=')[0].trim();
  const others = (existing ?? '')
    .split(',')
    .map(o => o.trim())
    .filter(o => o && o.split('=')[0].trim() !== key);
  return [...others, option].join(',');
}

/**
 * True when the annotation value holds `option` (whitespace trimmed, as Argo CD reads it).
 *
 * @public
 */
export function hasSyncOption(
  value: string | undefined,
  option: string,
): boolean {
  return (value ?? '').split(',').some(o => o.trim() === option);
}
