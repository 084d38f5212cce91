/**
 * The plugin installed in an app on the new frontend system, next to the
 * catalog: the card is on a ClearML tenant's entity page and on no other.
 */
import { screen } from '@testing-library/react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  acmeTenant,
  entityWithoutAnnotations,
  healthyReport,
  tenantEntity,
} from '../../dev/fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../__testUtils__/healthApiDouble';
import { testClearmlClient } from '../__testUtils__/testClient';
import { clearmlApiRef } from '../api';
import clearmlPlugin from '../alpha';

const acme = tenantEntity(acmeTenant);

describe('an app on the new frontend system with the clearml plugin', () => {
  let health: HealthApiDouble;

  beforeAll(async () => {
    health = await startHealthApiDouble();
  });
  afterAll(() => health.close());

  function renderEntityPage(path: string) {
    return renderTestApp({
      features: [catalogPlugin, clearmlPlugin],
      apis: [
        [
          catalogApiRef,
          catalogApiMock({ entities: [acme, entityWithoutAnnotations] }),
        ],
        [clearmlApiRef, testClearmlClient(health.baseUrl)],
      ],
      initialRouteEntries: [path],
    });
  }

  it("shows the tenant health card on a ClearML tenant's overview", async () => {
    health.answer(stringifyEntityRef(acme), healthyReport());
    renderEntityPage('/catalog/default/resource/acme');
    expect(
      await screen.findByText('ClearML tenant health', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole(
        'status',
        { name: 'Tenant status' },
        { timeout: 10_000 },
      ),
    ).toHaveTextContent('Healthy');
  }, 30_000);

  it('shows no card on the page of an entity that is not a ClearML tenant', async () => {
    renderEntityPage('/catalog/default/resource/shared-postgres');
    // The catalog's own cards are rendered, so the page's cards are there; ours is not among them.
    expect(
      await screen.findByText('About', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText('ClearML tenant health')).not.toBeInTheDocument();
    expect(
      health.requests.filter(
        r => r.entityRef === stringifyEntityRef(entityWithoutAnnotations),
      ),
    ).toEqual([]);
  }, 30_000);

  it('has the fleet page at /clearml', async () => {
    renderEntityPage('/clearml');
    expect(
      await screen.findByRole(
        'heading',
        // The page's header (the fleet table's title says the same, a level below).
        { name: 'ClearML tenants', level: 1 },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  }, 30_000);
});
