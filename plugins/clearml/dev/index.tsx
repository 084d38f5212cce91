/**
 * The plugin's own dev app (`npm start` here, no backend needed): the tenant health card against made-up reports
 * (dev/fixtures.ts), one page per state, to work on the card without a cluster. Only this plugin is wired here; the
 * local instance with the catalog, the scaffolder and the real backend is packages/app and packages/backend
 * (`npm start` at the repository root).
 */
import { Content, Header, Page } from '@backstage/core-components';
import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import { clearmlApiRef, clearmlPlugin, EntityClearmlHealthCard } from '../src';
import {
  acmeTenant,
  brokenReport,
  degradedReport,
  FixtureClearmlApi,
  healthyReport,
  inReviewReport,
  orbitTenant,
  tenantEntity,
  unreachableReport,
  visionTenant,
} from './fixtures';
import { changePendingReport, upgradingReport } from './day2Fixtures';

const fixtureEntities = {
  healthy: tenantEntity(acmeTenant),
  broken: tenantEntity(visionTenant),
  unreachable: tenantEntity(orbitTenant),
};
// Same tenant as the healthy one under another name, so it can answer with the degraded report.
const degradedEntity: Entity = {
  ...fixtureEntities.healthy,
  metadata: { ...fixtureEntities.healthy.metadata, name: 'acme-degraded' },
};

// A new tenant whose pull request waits for review.
const inReviewEntity: Entity = {
  ...fixtureEntities.healthy,
  metadata: { ...fixtureEntities.healthy.metadata, name: 'nova' },
};

// Day 2: a running tenant with a change in review; one Argo CD is upgrading to the configured charts.
const day2Entity = (name: string): Entity => ({
  ...fixtureEntities.healthy,
  metadata: { ...fixtureEntities.healthy.metadata, name },
});
const changeEntity = day2Entity('vega');
const upgradeEntity = day2Entity('lyra');

const fixtureApi = new FixtureClearmlApi({
  [stringifyEntityRef(fixtureEntities.healthy)]: () =>
    healthyReport(new Date(Date.now() - 20_000)),
  [stringifyEntityRef(fixtureEntities.broken)]: () =>
    brokenReport(new Date(Date.now() - 95_000)),
  [stringifyEntityRef(degradedEntity)]: () =>
    degradedReport(new Date(Date.now() - 5_000)),
  [stringifyEntityRef(fixtureEntities.unreachable)]: () => unreachableReport(),
  [stringifyEntityRef(inReviewEntity)]: () =>
    inReviewReport(new Date(Date.now() - 12_000)),
  [stringifyEntityRef(changeEntity)]: () => ({
    ...changePendingReport(),
    entityRef: stringifyEntityRef(changeEntity),
  }),
  [stringifyEntityRef(upgradeEntity)]: () => upgradingReport(),
});

function FixturePage(props: { title: string; entity: Entity }) {
  return (
    <Page themeId="tool">
      <Header
        title={props.title}
        subtitle={`fixture: ${stringifyEntityRef(props.entity)}`}
      />
      <Content>
        <EntityProvider entity={props.entity}>
          <Grid container>
            <Grid item xs={12} md={8} lg={6}>
              <EntityClearmlHealthCard />
            </Grid>
          </Grid>
        </EntityProvider>
      </Content>
    </Page>
  );
}

const fixturePages = [
  { path: 'healthy', title: 'Healthy tenant', entity: fixtureEntities.healthy },
  { path: 'broken', title: 'Broken tenant', entity: fixtureEntities.broken },
  { path: 'degraded', title: 'Degraded tenant', entity: degradedEntity },
  {
    path: 'unreachable',
    title: 'Cluster not answering',
    entity: fixtureEntities.unreachable,
  },
  { path: 'in-review', title: 'Tenant in review', entity: inReviewEntity },
  { path: 'change', title: 'Change in review', entity: changeEntity },
  { path: 'upgrading', title: 'Upgrading', entity: upgradeEntity },
];

const app = createDevApp()
  .registerPlugin(clearmlPlugin)
  .registerApi({
    api: clearmlApiRef,
    deps: {},
    factory: () => fixtureApi,
  });
for (const page of fixturePages) {
  app.addPage({
    path: `/${page.path}`,
    title: page.title,
    element: <FixturePage title={page.title} entity={page.entity} />,
  });
}
app.render();
