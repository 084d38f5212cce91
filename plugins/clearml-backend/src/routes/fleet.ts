/**
 * `GET /v1/tenants`: every ClearML tenant in the catalog the caller may see
 * (read with the caller's credentials), each one the caller may read the
 * health of (`clearml.tenant.health.read`, decided per entity in one batch),
 * with its cluster, owner, edition, lifecycle stage, status and chart versions. The checks
 * share the clusters' views and the report cache with the single check, so a
 * sweep of the fleet costs the clusters what one check per cluster does.
 */
import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CLEARML_ANNOTATIONS,
  FleetResponse,
  FleetTenant,
  TenantIsolation,
} from '@clearml-openshift/plugin-clearml-common';
import { TenantEntityHealth } from '../health/TenantEntityHealth';

export interface FleetRouterOptions {
  httpAuth: HttpAuthService;
  /** Lists the tenants the caller may read and checks each (health/TenantEntityHealth.ts). */
  tenants: TenantEntityHealth;
}

/** How many tenants are checked at once (the checks mostly read the shared views; this bounds event reads and probes). */
const CONCURRENCY = 16;

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

function baseRow(entity: Entity): Omit<FleetTenant, 'status'> {
  const annotations = entity.metadata.annotations ?? {};
  const owner = entity.spec?.owner;
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    ...(typeof owner === 'string' ? { owner } : {}),
    ...(annotations[CLEARML_ANNOTATIONS.cluster]
      ? { cluster: annotations[CLEARML_ANNOTATIONS.cluster] }
      : {}),
    ...(annotations[CLEARML_ANNOTATIONS.namespace]
      ? { namespace: annotations[CLEARML_ANNOTATIONS.namespace] }
      : {}),
    ...(annotations[CLEARML_ANNOTATIONS.edition]
      ? { edition: annotations[CLEARML_ANNOTATIONS.edition] }
      : {}),
  };
}

export function createFleetRouter(options: FleetRouterOptions): express.Router {
  const { httpAuth, tenants } = options;
  const router = Router();

  router.get('/v1/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entities: allowed, sources } =
      await tenants.readableTenants(credentials);

    const rows = await mapLimited(
      allowed,
      CONCURRENCY,
      async (entity): Promise<FleetTenant> => {
        const row = baseRow(entity);
        try {
          const health = await tenants.check(entity, sources, row.entityRef);
          const current = health.lifecycle?.stages.find(
            s => s.id === health.lifecycle?.current,
          );
          return {
            ...row,
            status: health.status,
            ...(health.statusReason
              ? { statusReason: health.statusReason }
              : {}),
            ...(current
              ? { stage: current.id, stageSummary: current.summary }
              : {}),
            checkedAt: health.checkedAt,
            ...(health.isolation
              ? { isolation: isolationSummary(health.isolation) }
              : {}),
            ...(health.stale ? { stale: health.stale } : {}),
            ...(health.charts ? { charts: health.charts } : {}),
          };
        } catch (error) {
          return { ...row, status: 'unknown', error: (error as Error).message };
        }
      },
    );
    const body: FleetResponse = {
      items: rows.sort((a, b) => a.title.localeCompare(b.title)),
    };
    res.json(body);
  });

  return router;
}

/** One word and one line for the fleet page: isolated, or what is missing. */
export function isolationSummary(
  isolation: TenantIsolation,
): NonNullable<FleetTenant['isolation']> {
  if (isolation.unavailable)
    return { state: 'unknown', summary: isolation.unavailable };
  const { expected, matching, missing } = isolation.networkPolicies;
  const policyGaps: string[] = [];
  if (missing.length === expected.length) policyGaps.push('no NetworkPolicies');
  else if (missing.length)
    policyGaps.push(
      `${missing.length} of ${expected.length} NetworkPolicies missing`,
    );
  const gaps = [
    ...policyGaps,
    ...(isolation.networkPolicies.changed.length
      ? [`${isolation.networkPolicies.changed.length} NetworkPolicies changed`]
      : []),
    ...(isolation.quota ? [] : ['no ResourceQuota']),
    ...(isolation.credentials === 'chart-default'
      ? ["chart's public default credentials"]
      : []),
  ];
  if (!gaps.length)
    return {
      state: 'isolated',
      summary: `${matching.length} NetworkPolicies as rendered, quota ${isolation.quota!.resources.map(r => `${r.label} ${r.used ?? '?'}/${r.hard ?? '?'}`).join(', ')}`,
    };
  return {
    state: matching.length === 0 && !isolation.quota ? 'none' : 'partial',
    summary: gaps.join('; '),
  };
}
