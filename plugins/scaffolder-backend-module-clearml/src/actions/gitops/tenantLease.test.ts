import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConflictError } from '@backstage/errors';
import { databaseTenantLeases, inMemoryTenantLeases } from './tenantLease';

describe('tenant leases', () => {
  it.each([
    [
      'in Backstage’s database (SQLite)',
      () =>
        databaseTenantLeases(
          DatabaseManager.fromConfig(
            new ConfigReader({
              backend: {
                database: { client: 'better-sqlite3', connection: ':memory:' },
              },
            }),
          ).forPlugin('scaffolder', {
            logger: mockServices.logger.mock(),
            lifecycle: mockServices.lifecycle.mock(),
          }),
        ),
    ],
    ['in memory', () => inMemoryTenantLeases()],
  ])(
    '%s: one holder per tenant; the same task again keeps it; released, it is free',
    async (_, make) => {
      const leases = make();
      const release = await leases.acquire('acme', 'task-1');
      await expect(leases.acquire('acme', 'task-2')).rejects.toThrow(
        ConflictError,
      );
      await expect(leases.acquire('acme', 'task-2')).rejects.toThrow(
        /^tenant: acme is being created or changed by another run right now \(task task-1, since /,
      );
      // Another tenant is not affected; the same task (a retried step) keeps its lease.
      await (
        await leases.acquire('vision', 'task-2')
      )();
      await leases.acquire('acme', 'task-1');
      await release();
      await (
        await leases.acquire('acme', 'task-2')
      )();
    },
  );

  it('takes over a lease whose run died once it expired', async () => {
    const leases = databaseTenantLeases(
      DatabaseManager.fromConfig(
        new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        }),
      ).forPlugin('scaffolder', {
        logger: mockServices.logger.mock(),
        lifecycle: mockServices.lifecycle.mock(),
      }),
      { leaseSeconds: 0 },
    );
    await leases.acquire('acme', 'crashed-task');
    await new Promise(r => setTimeout(r, 5));
    await expect(leases.acquire('acme', 'task-2')).resolves.toBeInstanceOf(
      Function,
    );
  });
});
