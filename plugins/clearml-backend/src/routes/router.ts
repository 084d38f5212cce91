/**
 * `GET /v1/health?entityRef=` (docs/architecture.md#health-api): the entity is read
 * with the caller's credentials (what they cannot see is 404), the
 * `clearml.tenant.health.read` permission is checked on it, and its
 * annotations say what to check.
 */
import express from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CLEARML_ANNOTATIONS,
  clearmlTenantHealthReadPermission,
  TenantAnchorSources,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlCluster,
  findClearmlCluster,
} from '@clearml-openshift/plugin-clearml-node';
import { TenantHealthChecker } from '../health/TenantHealthChecker';
import { TenantAnnotationsError, tenantHealthTarget } from '../health/target';
import { TenantNamespaceGuard } from '../health/tenantNamespaceGuard';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  checker: TenantHealthChecker;
  clusters: readonly ClearmlCluster[];
  logger: LoggerService;
  /** Refuses (422) namespaces that are not the entity's tenant's; see tenantNamespaceGuard.ts. */
  namespaceGuard?: TenantNamespaceGuard;
  /** Where tenant entities may come from (tenantAnchorOf): anything else is refused (422) and nothing is read. */
  anchorSources: () => Promise<TenantAnchorSources>;
}

function canonicalEntityRef(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) {
    throw new InputError(
      'entityRef: is required, e.g. ?entityRef=resource:default/acme',
    );
  }
  try {
    // No default kind: `acme` alone does not say which entity is meant.
    return stringifyEntityRef(
      parseEntityRef(raw.trim(), { defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw new InputError(
      `entityRef: ${JSON.stringify(raw)} is not an entity reference of the form kind:namespace/name (${(error as Error).message})`,
    );
  }
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, permissions, checker, clusters } = options;
  const router = Router();

  router.get('/v1/health', async (req, res) => {
    const entityRef = canonicalEntityRef(req.query.entityRef);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef} found`);

    const [decision] = await permissions.authorize(
      [
        {
          permission: clearmlTenantHealthReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the ClearML health of ${entityRef}`,
      );
    }

    // Only the entity the product registered from the tenant's own file is the tenant (docs/security.md).
    const target = tenantHealthTarget(entity, await options.anchorSources());
    const cluster = findClearmlCluster(clusters, target.cluster);
    if (!cluster) {
      throw new TenantAnnotationsError(
        `Entity cannot be checked as a ClearML tenant: ${CLEARML_ANNOTATIONS.cluster} names '${target.cluster}', which is not a configured cluster`,
      );
    }
    await options.namespaceGuard?.(entity, cluster, target);
    res.json(await checker.check(entityRef, target));
  });

  // 422 is not among the statuses Backstage's error handler knows; answer it here in the same body shape.
  router.use(
    (
      error: Error,
      req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!(error instanceof TenantAnnotationsError)) {
        next(error);
        return;
      }
      res.status(422).json({
        error: serializeError(error),
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 422 },
      });
    },
  );

  return router;
}
