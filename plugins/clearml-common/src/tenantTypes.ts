/** The tenant request's shape, and the validated tenant `resolveTenant` makes of it. */
import type { Edition, Exposure, SecurityProfile } from './editions';
import type { SizeTier } from './tiers';

/**
 * What a template passes in; every field but `tenant` and `domain` is optional.
 *
 * @public
 */
export interface TenantInput {
  tenant?: unknown;
  namespace?: unknown;
  domain?: unknown;
  edition?: unknown;
  releaseName?: unknown;
  securityProfile?: unknown;
  exposure?: unknown;
  ingressClassName?: unknown;
  tlsSecretName?: unknown;
  agent?: unknown;
  appGateway?: unknown;
  elasticsearchSysctlInit?: unknown;
  /** Size tier (a name from `clearml.tiers`; default the first). */
  tier?: unknown;
  storageClassName?: unknown;
  targetPath?: unknown;
}

/**
 * A validated tenant with every default applied.
 *
 * @public
 */
export interface Tenant {
  tenant: string;
  namespace: string;
  domain: string;
  edition: Edition;
  releaseName: string;
  securityProfile: SecurityProfile;
  exposure: Exposure;
  ingressClassName?: string;
  tlsSecretName?: string;
  agent: { enabled: boolean; queue: string };
  appGateway: { enabled: boolean };
  elasticsearchSysctlInit: boolean;
  /** The size tier: every container's requests and limits, every claim's size, the quota. */
  tier: SizeTier;
  /**
   * The StorageClass every claim of the tenant names. Absent: the claims name
   * none and the cluster's default class binds them (the first template step
   * fills in that default when it reads the cluster).
   */
  storageClassName?: string;
  /** Workspace-relative, normalised, without a trailing slash; `.` for the workspace itself. */
  targetPath: string;
}
