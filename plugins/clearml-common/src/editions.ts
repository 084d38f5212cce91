/**
 * The two ClearML editions and the security profiles a tenant can run under.
 *
 * @public
 */

export const EDITIONS = ['oss', 'enterprise'] as const;
/** @public */
export type Edition = (typeof EDITIONS)[number];

/** @public */
export const SECURITY_PROFILES = ['restricted', 'nonroot', 'anyuid'] as const;
/** @public */
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/** @public */
export const EXPOSURES = ['route', 'ingress'] as const;
/** @public */
export type Exposure = (typeof EXPOSURES)[number];

/**
 * The default profile per edition. The open-source server image runs as root
 * (its entrypoint is mode 744), so it needs `anyuid`; enterprise images run
 * under `restricted-v2` with ClearML's OpenShift guide's security contexts.
 *
 * @public
 */
export function defaultSecurityProfile(edition: Edition): SecurityProfile {
  return edition === 'oss' ? 'anyuid' : 'restricted';
}
