/**
 * `GET /v1/health?entityRef=` (docs/architecture.md#health-api): the entity is read
 * with the caller's credentials (what they cannot see is 404), the
 * `clearml.tenant.health.read` permission is checked on it, and its
 * annotations say what to check.
 */
import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, serializeError } from '@backstage/errors';
import { TenantAnnotationsError } from '../health/target';
import { TenantEntityHealth } from '../health/TenantEntityHealth';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  /** Reads the entity, decides the permission and checks it (health/TenantEntityHealth.ts). */
  tenants: TenantEntityHealth;
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
  const { httpAuth, tenants } = options;
  const router = Router();

  router.get('/v1/health', async (req, res) => {
    const entityRef = canonicalEntityRef(req.query.entityRef);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await tenants.readableEntity(entityRef, credentials);
    // Only the entity the product registered from the tenant's own file is the tenant (docs/security.md).
    res.json(
      await tenants.check(entity, await tenants.anchorSources(), entityRef),
    );
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
