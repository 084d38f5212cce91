/**
 * The permission policy docs/security.md and the README show: only the
 * platform group may run `clearml:scc:grant` (the scaffolder's
 * `scaffolder.action.execute` permission, conditional on HAS_ACTION_ID), and
 * only the listed groups may read a tenant's health
 * (`clearml.tenant.health.read`). Everything else is allowed. Copy it into a
 * backend module of your own (policyExtensionPoint) and adapt the groups.
 */
import { AuthorizeResult, isPermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { createScaffolderActionConditionalDecision, scaffolderActionConditions } from '@backstage/plugin-scaffolder-backend/alpha';
import { actionExecutePermission } from '@backstage/plugin-scaffolder-common/alpha';
import { clearmlTenantHealthReadPermission } from '@clearml-openshift/plugin-clearml-common';

export const SCC_GRANT_ACTION = 'clearml:scc:grant';

export class ClearmlPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      /** The group whose members may apply SCC grants, e.g. group:default/platform. */
      platformGroup: string;
      /** Groups whose members may read tenants' health (the platform group always may). */
      healthReaders: string[];
    },
  ) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const refs = user?.info.ownershipEntityRefs ?? [];
    const isPlatform = refs.includes(this.options.platformGroup);

    if (isPermission(request.permission, actionExecutePermission)) {
      if (isPlatform) return { result: AuthorizeResult.ALLOW };
      // Every other action of a template runs; the grant step is refused for everyone else.
      return createScaffolderActionConditionalDecision(request.permission, {
        not: scaffolderActionConditions.hasActionId({ actionId: SCC_GRANT_ACTION }),
      });
    }
    if (request.permission.name === clearmlTenantHealthReadPermission.name) {
      const allowed = isPlatform || refs.some(ref => this.options.healthReaders.includes(ref));
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
