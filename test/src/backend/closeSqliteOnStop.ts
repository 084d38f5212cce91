/**
 * Test backends keep their plugins' databases in SQLite (`:memory:`), and Backstage's database manager leaves SQLite
 * connections open when the backend stops (it destroys only the others). Each open connection keeps a knex pool
 * whose reaping interval holds the event loop, so a jest worker that ran such a backend cannot exit and is killed
 * ("A worker process has failed to exit gracefully"). These modules destroy the named plugins' clients once the
 * backend has stopped (a root shutdown hook runs after every plugin's own).
 */
import {
  BackendFeature,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

/** One module per plugin id: the plugins of the test backend that use a database (e.g. `catalog`, `scaffolder`). */
export function closeSqliteOnStop(...pluginIds: string[]): BackendFeature[] {
  return pluginIds.map(pluginId =>
    createBackendModule({
      pluginId,
      moduleId: 'test-sqlite-teardown',
      register(env) {
        env.registerInit({
          deps: {
            database: coreServices.database,
            rootLifecycle: coreServices.rootLifecycle,
          },
          async init({ database, rootLifecycle }) {
            rootLifecycle.addShutdownHook(async () => {
              const client = await database.getClient();
              // Only SQLite: the database manager ends other clients itself, and one ended twice fails its pool.
              if (/sqlite/i.test(String(client.client.config.client)))
                await client.destroy();
            });
          },
        });
      },
    }),
  );
}
