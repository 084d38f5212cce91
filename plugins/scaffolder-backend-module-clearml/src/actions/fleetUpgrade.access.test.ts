import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FleetWorld, startFleetWorld } from './__testUtils__/fleetWorld';
import {
  expectNothingWritten as nothingWritten,
  MOCK,
  runUpgrade,
} from './__testUtils__/fleetUpgradeRun';

describe('clearml:fleet:upgrade: input and who may run it', () => {
  let world: FleetWorld;
  beforeEach(async () => {
    world = await startFleetWorld();
  });
  afterEach(() => world?.close());

  const run = (
    input: Record<string, unknown>,
    options?: Parameters<typeof runUpgrade>[2],
  ) => runUpgrade(world, input, options);
  const expectNothingWritten = () => nothingWritten(world);

  it('refuses bad input naming the field, before anything is read or written', async () => {
    await expect(run({ batchSize: 0 })).rejects.toThrow(
      /^batchSize: must be a whole number from 1 to 50/,
    );
    await expect(run({ tenants: ['resource:default/nope'] })).rejects.toThrow(
      /^tenants\[0\]: resource:default\/nope is not in the catalog/,
    );
    await expect(run({ tenants: 'resource:default/acme' })).rejects.toThrow(
      /^tenants: must be a list/,
    );
    await expectNothingWritten();
  });

  it('only the platform group may: a tenant owner is refused; without config or policy nobody; with the policy its decision', async () => {
    await expect(run({}, { user: MOCK })).rejects.toThrow(
      new NotAllowedError(
        'only members of group:default/platform (clearml.fleet.platformGroup) upgrade the fleet; user:default/mock is not one, and nothing was written',
      ),
    );
    await expect(run({}, { extra: { fleet: {} } })).rejects.toThrow(
      /set clearml\.fleet\.platformGroup .* or enable the permission framework/,
    );
    const asked: unknown[] = [];
    const permissions = {
      authorize: async (requests: any[], { credentials }: any) => {
        asked.push(...requests.map(r => r.permission.name));
        return requests.map(() => ({
          result:
            credentials.principal?.userEntityRef === 'user:default/mock'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      authorizeConditional: async () => [],
    } as any;
    await expect(run({}, { permissions })).rejects.toThrow(
      /the permission policy does not allow user:default\/alice clearml\.fleet\.upgrade/,
    );
    await expectNothingWritten();
    const allowed = await run({ batchSize: 1 }, { user: MOCK, permissions });
    expect(allowed.pullRequests).toHaveLength(1);
    expect(asked).toEqual(['clearml.fleet.upgrade', 'clearml.fleet.upgrade']);
  });
});
