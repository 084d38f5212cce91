import React from 'react';
import { createDevApp } from '@backstage/dev-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { createApiFactory } from '@backstage/core-plugin-api';
import { Content, Header, Page } from '@backstage/core-components';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { clearmlApiRef, clearmlPlugin, EntityClearmlHealthCard } from '../src';
import {
  acmeTenant,
  brokenReport,
  degradedReport,
  FixtureClearmlApi,
  healthyReport,
  orbitTenant,
  tenantEntity,
  unreachableReport,
  visionTenant,
} from './fixtures';

const healthyEntity = tenantEntity(acmeTenant);
const brokenEntity = tenantEntity(visionTenant);
const unreachableEntity = tenantEntity(orbitTenant);
// Same tenant as the healthy one under another name, so it can answer with the degraded report.
const degradedEntity: Entity = { ...healthyEntity, metadata: { ...healthyEntity.metadata, name: 'acme-degraded' } };

const fixtureApi = new FixtureClearmlApi({
  [stringifyEntityRef(healthyEntity)]: () => healthyReport(new Date(Date.now() - 20_000)),
  [stringifyEntityRef(brokenEntity)]: () => brokenReport(new Date(Date.now() - 95_000)),
  [stringifyEntityRef(degradedEntity)]: () => degradedReport(new Date(Date.now() - 5_000)),
  [stringifyEntityRef(unreachableEntity)]: () => unreachableReport(),
});

function TenantPage(props: { title: string; entity: Entity }) {
  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={stringifyEntityRef(props.entity)} />
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

createDevApp()
  .registerPlugin(clearmlPlugin)
  .registerApi(createApiFactory({ api: clearmlApiRef, deps: {}, factory: () => fixtureApi }))
  .addPage({ path: '/healthy', title: 'Healthy tenant', element: <TenantPage title="Healthy tenant" entity={healthyEntity} /> })
  .addPage({ path: '/broken', title: 'Broken tenant', element: <TenantPage title="Broken tenant" entity={brokenEntity} /> })
  .addPage({ path: '/degraded', title: 'Degraded tenant', element: <TenantPage title="Degraded tenant" entity={degradedEntity} /> })
  .addPage({
    path: '/unreachable',
    title: 'Cluster not answering',
    element: <TenantPage title="Cluster not answering" entity={unreachableEntity} />,
  })
  .render();
