/**
 * One run per tenant at a time, as production runs Backstage: two backend
 * replicas of the product on one real PostgreSQL (Debian's package, started
 * for this suite on a loopback port). Two runs of the template for one new
 * tenant, with different content, started together on the two replicas: one
 * completes, the other fails with a conflict before it pushes or grants
 * anything; the branch holds the winner's content and the cluster only the
 * grants the winner rendered. The lease itself is raced too: twenty
 * acquisitions through two database clients, exactly one wins.
 */
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  endStoppedDatabaseClients,
  startPostgres,
  TestPostgres,
} from '@internal/clearml-test-utils';
import {
  DatabaseManager,
  databaseServiceFactory,
} from '@backstage/backend-defaults/database';
import {
  resolveTenant,
  sccRoleName,
} from '@clearml-openshift/plugin-clearml-common';
import { sccGrantsForTenant } from '@clearml-openshift/plugin-clearml-node';
import { databaseTenantLeases } from '@clearml-openshift/plugin-scaffolder-backend-module-clearml';
import {
  E2eWorld,
  GITOPS,
  startWorld,
  tenantFormValues,
} from '../e2e/fixtures';
import {
  backendApi,
  runTenantTemplate,
  startTenantBackend,
} from '../e2e/__testUtils__/backendApi';

jest.setTimeout(300_000);

let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
});

const leaseDatabases: DatabaseService[] = [];

afterAll(async () => {
  // Every client ends before the server does: a pool still connected would see its connections terminated.
  for (const database of leaseDatabases)
    await (await database.getClient()).destroy();
  await endStoppedDatabaseClients();
  await pg?.stop();
});

describe('the tenant lease in PostgreSQL', () => {
  it('of twenty concurrent acquisitions through two database clients, exactly one wins; a released lease is free again', async () => {
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: pg.connection,
          prefix: 'lease_test_',
        },
      },
    });
    const databases = [1, 2].map(() =>
      DatabaseManager.fromConfig(config).forPlugin('scaffolder', {
        logger: mockServices.logger.mock(),
        lifecycle: mockServices.lifecycle.mock(),
      }),
    );
    leaseDatabases.push(...databases);
    const [a, b] = databases.map(d => databaseTenantLeases(d));
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).acquire('omega', `task-${i}`),
      ),
    );
    const won = attempts.filter(r => r.status === 'fulfilled');
    const lost = attempts.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost.map(r => r.reason.name)).toEqual(
      Array(19).fill('ConflictError'),
    );
    expect(lost[0].reason.message).toMatch(
      /^tenant: omega is being created or changed by another run right now \(task task-\d+, since /,
    );
    await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
    const release = await b.acquire('omega', 'task-later');
    await release();
  });
});

describe('two runs for one new tenant on two replicas sharing PostgreSQL', () => {
  let world: E2eWorld;
  const backends: Array<{ stop(): Promise<void> }> = [];
  const baseUrls: string[] = [];

  beforeAll(async () => {
    world = await startWorld();
    const config = world.config as any;
    config.backend.database = { client: 'pg', connection: pg.connection };
    // One task at a time per replica: two tasks started together run on the two replicas.
    config.scaffolder = { concurrentTasksLimit: 1 };
    for (let i = 0; i < 2; i++) {
      const { backend, baseUrl } = await startTenantBackend(world, [
        databaseServiceFactory,
      ]);
      backends.push(backend);
      baseUrls.push(baseUrl);
    }
  });

  afterAll(async () => {
    for (const backend of backends.reverse()) await backend.stop();
    await world?.close();
  });

  it('one completes, the other conflicts before pushing or granting; the branch and the grants are the winner’s', async () => {
    const runs = [
      tenantFormValues('rho', {
        applyGrants: true,
        description: 'first run',
        securityProfile: 'anyuid',
      }),
      tenantFormValues('rho', {
        applyGrants: true,
        description: 'second run',
        owner: 'user:default/mock',
        securityProfile: 'nonroot',
      }),
    ];
    const results = await Promise.all(
      runs.map((values, i) =>
        runTenantTemplate(
          backendApi(() => baseUrls[i]),
          values,
          180_000,
        ),
      ),
    );
    const statuses = results.map(r => r.status).sort();
    expect(statuses).toEqual(['completed', 'failed']);
    const winner = results.findIndex(r => r.status === 'completed');
    const loser = results[1 - winner];
    expect(loser.log).toMatch(
      /ConflictError|is being created or changed by another run|was created in platform\/gitops by another run|already exists/,
    );
    expect(loser.log).not.toMatch(/Internal Server Error|status code 5\d\d/);

    // The branch holds the winner's files: its description in the catalog file.
    const catalogInfo = world.github.filesAt(
      GITOPS.owner,
      GITOPS.repo,
      'clearml/rho',
    )['tenants/rho/catalog-info.yaml'].content;
    expect(catalogInfo).toContain(runs[winner].description as string);
    expect(catalogInfo).not.toContain(runs[1 - winner].description as string);
    expect(
      world.github
        .pullRequests(GITOPS.owner, GITOPS.repo)
        .filter(p => p.head === 'clearml/rho'),
    ).toHaveLength(1);

    // The cluster holds exactly the grants the winner rendered.
    const values = runs[winner];
    const expected = sccGrantsForTenant(
      resolveTenant({
        tenant: 'rho',
        domain: values.domain,
        edition: values.edition,
        securityProfile: values.securityProfile,
        exposure: values.exposure,
        agent: { enabled: false },
        appGateway: { enabled: false },
      }),
    )
      .map(g => `${sccRoleName(g.scc)} ${g.serviceAccount}`)
      .sort();
    const bound = world.kubernetes
      .list('rbac.authorization.k8s.io/v1', 'RoleBinding', 'clearml-rho')
      .flatMap(b =>
        (b.subjects ?? []).map((s: any) => `${b.roleRef?.name} ${s.name}`),
      )
      .sort();
    expect(bound).toEqual(expected);
  });
});
