/**
 * Test backends leave their plugins' database clients open when they stop: Backstage's database manager keeps
 * SQLite (`:memory:`) clients by design, and its shutdown does not end the others either (it tests
 * `client.config.includes('sqlite3')` on the knex config object, which throws inside its `allSettled`). An open
 * client holds the event loop (the knex pool's reaping interval, and for PostgreSQL its sockets), so a jest worker
 * that ran such a backend cannot exit and is killed ("A worker process has failed to exit gracefully").
 *
 * Ending a client when the backend stops is too early: a loop of a stopped plugin (a scheduler tick, a task
 * heartbeat, the catalog's processing) may still query, and a destroyed pool fails that query ("Unable to acquire a
 * connection") after the suite has ended. So, once the backend has stopped (a root shutdown hook runs after every
 * plugin's own):
 * - a SQLite pool is released from the event loop (its reaping interval unref'd, now and whenever tarn starts it
 *   again) and otherwise left working;
 * - any other client is kept for {@link endStoppedDatabaseClients}, which a suite calls in its last `afterAll`,
 *   before it stops the database server.
 */
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  DatabaseService,
} from '@backstage/backend-plugin-api';

type Client = Awaited<ReturnType<DatabaseService['getClient']>>;
const stoppedClients = new Set<Client>();

/** One module per plugin id: the plugins of the test backend that use a database (e.g. `catalog`, `scaffolder`). */
export function releaseDatabasesOnStop(
  ...pluginIds: string[]
): BackendFeature[] {
  return pluginIds.map(pluginId =>
    createBackendModule({
      pluginId,
      moduleId: 'test-database-teardown',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            rootLifecycle: coreServices.rootLifecycle,
          },
          async init({ database, rootLifecycle }) {
            rootLifecycle.addShutdownHook(async () => {
              const client = await database.getClient();
              if (!/sqlite/i.test(String(client.client.config.client))) {
                stoppedClients.add(client);
                return;
              }
              const pool = client.client.pool;
              if (!pool) return;
              // tarn assigns the interval synchronously right after emitting 'startReaping'.
              const unref = () => pool.interval?.unref?.();
              unref();
              pool.on('startReaping', () => queueMicrotask(unref));
            });
          },
        });
      },
    }),
  );
}

/** Ends the non-SQLite clients of every test backend stopped so far (all their plugins' loops have wound down). */
export async function endStoppedDatabaseClients(): Promise<void> {
  const clients = [...stoppedClients];
  stoppedClients.clear();
  await Promise.all(
    clients.map(async client => {
      await untilIdle(client);
      await client.destroy();
    }),
  );
}

/**
 * Waits (up to 5 s) until the client's pool has had no query in use or waiting for a connection for half a second:
 * the last tick of a stopped plugin's loop (the scaffolder's task claim) may still be on its way.
 */
async function untilIdle(client: Client): Promise<void> {
  const pool = (client.client as any).pool;
  if (!pool) return;
  const busy = () => pool.numUsed() + pool.numPendingAcquires() > 0;
  const deadline = Date.now() + 5_000;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < 500) {
    await new Promise(resolve => setTimeout(resolve, 100));
    if (busy()) quietSince = Date.now();
  }
}
