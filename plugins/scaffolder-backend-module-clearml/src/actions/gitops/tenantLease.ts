/**
 * One run per tenant at a time, across backend replicas: before it pushes or
 * grants anything, the pull-request action takes the tenant's lease, a row in
 * Backstage's own database (the scaffolder's, through the DatabaseService).
 * The row's primary key is the tenant, so of two runs racing for it, on one
 * backend or on two replicas sharing PostgreSQL, exactly one insert succeeds;
 * the other fails with a ConflictError naming the task that holds it. A lease
 * whose run died is taken over once it expires.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';

/** Backstage's knex client, as the DatabaseService hands it out. */
type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/** @public */
export interface TenantLeases {
  /** Takes the tenant's lease for `holder` (a task id) or throws a ConflictError; resolves to its release. */
  acquire(tenant: string, holder: string): Promise<() => Promise<void>>;
}

export const TENANT_LEASE_TABLE = 'clearml_tenant_leases';
/** How long a lease lasts when its run never releases it (a crashed replica). */
export const DEFAULT_LEASE_SECONDS = 600;

function conflict(tenant: string, holder: string, since: number): Error {
  return new ConflictError(
    `tenant: ${tenant} is being created or changed by another run right now (task ${holder}, since ${new Date(since).toISOString()}); ` +
      'this run pushed and granted nothing. Wait for that task to finish, then run again with update: true if the tenant should change',
  );
}

async function ensureTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable(TENANT_LEASE_TABLE)) return;
  try {
    await knex.schema.createTable(TENANT_LEASE_TABLE, table => {
      table.string('tenant', 64).primary();
      table.string('holder', 255).notNullable();
      table.bigInteger('acquired_at').notNullable();
      table.bigInteger('expires_at').notNullable();
    });
  } catch (error) {
    // Another replica created it at the same moment.
    if (!(await knex.schema.hasTable(TENANT_LEASE_TABLE))) throw error;
  }
}

/**
 * Leases in Backstage's database (SQLite in development, PostgreSQL in production, shared by every replica).
 *
 * @public
 */
export function databaseTenantLeases(
  database: DatabaseService,
  options: { leaseSeconds?: number } = {},
): TenantLeases {
  const ttl = (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  let ready: Promise<Knex> | undefined;
  const client = () =>
    (ready ??= database.getClient().then(async knex => {
      await ensureTable(knex);
      return knex;
    }));
  return {
    async acquire(tenant, holder) {
      const knex = await client();
      const now = Date.now();
      // A lease whose run died is free again once it expires.
      await knex(TENANT_LEASE_TABLE)
        .where({ tenant })
        .andWhere('expires_at', '<', now)
        .delete();
      try {
        await knex(TENANT_LEASE_TABLE).insert({
          tenant,
          holder,
          acquired_at: now,
          expires_at: now + ttl,
        });
      } catch (error) {
        const row = await knex(TENANT_LEASE_TABLE).where({ tenant }).first();
        if (!row) throw error;
        if (row.holder !== holder)
          throw conflict(tenant, row.holder, Number(row.acquired_at));
        // The same task again (a retried step): it keeps its lease.
        await knex(TENANT_LEASE_TABLE)
          .where({ tenant, holder })
          .update({ expires_at: now + ttl });
      }
      return async () => {
        await knex(TENANT_LEASE_TABLE).where({ tenant, holder }).delete();
      };
    },
  };
}

/**
 * Leases in this process only: for an action built without a database (tests, a single backend).
 *
 * @public
 */
export function inMemoryTenantLeases(): TenantLeases {
  const held = new Map<string, { holder: string; since: number }>();
  return {
    async acquire(tenant, holder) {
      const current = held.get(tenant);
      if (current && current.holder !== holder)
        throw conflict(tenant, current.holder, current.since);
      held.set(tenant, { holder, since: Date.now() });
      return async () => {
        if (held.get(tenant)?.holder === holder) held.delete(tenant);
      };
    },
  };
}
