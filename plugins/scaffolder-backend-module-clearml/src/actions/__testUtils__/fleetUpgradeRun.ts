/** Runs `clearml:fleet:upgrade` on a fleet world as a template step would, and what its tests check after a run. */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  localBranches,
  localBranchHead,
} from '@clearml-openshift/plugin-clearml-node';
import { createClearmlFleetUpgradeAction } from '../fleetUpgrade';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';
import { CLEARML_BASE, FleetWorld } from './fleetWorld';

export const NEW_CHARTS = { clearml: '7.14.4', agent: '5.3.2' };

const person = (name: string, group: string) => ({
  ref: `user:default/${name}`,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
  },
});
/** In the platform group. */
export const ALICE = person('alice', 'platform');
/** The tenants' owner (ml-team), not in the platform group. */
export const MOCK = person('mock', 'ml-team');

/** The action's outputs, by name. */
export async function runUpgrade(
  world: FleetWorld,
  input: Record<string, unknown>,
  options: {
    user?: any;
    isDryRun?: boolean;
    charts?: { clearml: string; agent: string };
    extra?: Record<string, any>;
    permissions?: TenantCatalogAccess['permissions'];
  } = {},
): Promise<Record<string, any>> {
  const tenantCatalog: TenantCatalogAccess = {
    catalog: catalogServiceMock({ entities: world.entities as any }),
    auth: mockServices.auth(),
    ...(options.permissions ? { permissions: options.permissions } : {}),
    anchorSources: async () => ({
      repositories: [],
      localHosts: ['git.local'],
      clearmlBaseUrls: [CLEARML_BASE],
    }),
  };
  const action = createClearmlFleetUpgradeAction({
    integrations: {
      github: { byHost: () => undefined, list: () => [] },
    } as any,
    config: world.config(options.charts ?? NEW_CHARTS, options.extra),
    tenantCatalog,
  });
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      user: options.user ?? ALICE,
    } as any),
    isDryRun: options.isDryRun ?? false,
    checkpoint: async ({ fn }: any) => fn(),
    getInitiatorCredentials: async () =>
      mockCredentials.user((options.user ?? ALICE).ref),
  };
  await action.handler(ctx as any);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

export const upgradeBranches = async (world: FleetWorld) =>
  (await localBranches(world.gitdir))
    .filter(b => b.startsWith('clearml-upgrade/'))
    .sort();

export async function expectNothingWritten(world: FleetWorld) {
  expect(await upgradeBranches(world)).toEqual([]);
  expect(await localBranchHead(world.gitdir, 'main')).toBe(world.main);
  expect(world.kubernetes.writeRequests()).toEqual([]);
}
