/**
 * Who may upgrade the fleet's charts: the platform group only (owning a tenant is not enough: an upgrade opens pull
 * requests for every team's tenants). With the permission framework enabled, the platform's policy decides the basic
 * permission `clearml.fleet.upgrade`; without it, the runner must be a member of the group `clearml.fleet.platformGroup`
 * names (the user's `memberOf` relations, as the catalog resolved them). With neither, nobody may, and the refusal
 * says what to configure.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { clearmlFleetUpgradePermission } from '@clearml-openshift/plugin-clearml-common';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';

/** The config key naming the platform group where the permission framework is off. */
export const PLATFORM_GROUP_KEY = 'clearml.fleet.platformGroup';

/** `clearml.fleet.platformGroup` as a full entity reference, or undefined; a malformed one fails at startup. */
export function readPlatformGroup(config: Config): string | undefined {
  const group = config.getOptionalString(PLATFORM_GROUP_KEY);
  if (group === undefined) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(group, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new Error(
      `Invalid config at ${PLATFORM_GROUP_KEY}: '${group}' is not an entity reference such as group:default/platform`,
    );
  }
}

/** Refuses (NotAllowedError, nothing written) a runner outside the platform group. */
export async function checkPlatformRunner(options: {
  access: TenantCatalogAccess;
  platformGroup?: string;
  user: { ref?: string; entity?: Entity } | undefined;
  initiator: () => Promise<BackstageCredentials>;
}): Promise<void> {
  const { access, platformGroup, user } = options;
  const who = user?.ref ?? 'this user';
  if (access.permissions) {
    const [decision] = await access.permissions.authorize(
      [{ permission: clearmlFleetUpgradePermission }],
      { credentials: await options.initiator() },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
    throw new NotAllowedError(
      `the permission policy does not allow ${who} ${clearmlFleetUpgradePermission.name}: only the platform team ` +
        'upgrades the fleet, and nothing was written',
    );
  }
  if (!platformGroup) {
    throw new NotAllowedError(
      `only the platform team upgrades the fleet, and this Backstage does not say who that is: set ${PLATFORM_GROUP_KEY} ` +
        `(e.g. group:default/platform) or enable the permission framework with a policy for ${clearmlFleetUpgradePermission.name}. ` +
        'Nothing was written',
    );
  }
  const groups = (user?.entity?.relations ?? [])
    .filter(r => r.type === 'memberOf')
    .map(r => r.targetRef);
  if (user?.ref === platformGroup || groups.includes(platformGroup)) return;
  throw new NotAllowedError(
    `only members of ${platformGroup} (${PLATFORM_GROUP_KEY}) upgrade the fleet; ${who} is not one, and nothing was written`,
  );
}
