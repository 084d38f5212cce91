/**
 * The local instance's frontend (`npm start` at the repository root, or
 * `npm start` here while the backend runs): guest sign-in, the catalog with an
 * entity page that carries the tenant health card, and the scaffolder's create
 * page, all talking to the backend on :7007. The `/fixtures/*` pages show the
 * card against made-up reports, to work on it without a cluster.
 */
import { PropsWithChildren, useMemo } from 'react';
import ReactDOM from 'react-dom/client';
// Styles of Backstage UI components (the scaffolder's form uses them), as a Backstage app's index.tsx imports them.
// This file is the plugin's dev app, the one place here that plays the app's role; the plugin's own code imports no CSS.
// eslint-disable-next-line @backstage/no-ui-css-imports-in-non-frontend
import '@backstage/ui/css/styles.css';
import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { ApiProvider, AppRouter, FlatRoutes } from '@backstage/core-app-api';
import {
  AlertDisplay,
  Content,
  Header,
  OAuthRequestDialog,
  Page,
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarPage,
  SignInPage,
} from '@backstage/core-components';
import {
  ApiHolder,
  ApiRef,
  configApiRef,
  createApiFactory,
  useApiHolder,
} from '@backstage/core-plugin-api';
import {
  ScmAuth,
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import {
  CatalogEntityPage,
  CatalogIndexPage,
  catalogPlugin,
  EntityAboutCard,
  EntityLayout,
  EntityLinksCard,
  EntitySwitch,
} from '@backstage/plugin-catalog';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import CategoryIcon from '@material-ui/icons/Category';
import CreateComponentIcon from '@material-ui/icons/AddCircleOutline';
import BuildIcon from '@material-ui/icons/Build';
import StorageIcon from '@material-ui/icons/Storage';
import {
  clearmlApiRef,
  ClearmlClusterPickerFieldExtension,
  ClearmlFleetPage,
  clearmlPlugin,
  ClearmlTenantDomainFieldExtension,
  ClearmlStorageClassFieldExtension,
  EntityClearmlHealthCard,
  isClearmlTenantAvailable,
} from '../src';
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

// ---- Fixture pages: the card against made-up reports ----

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
});

/** Everything from the app's APIs, except the ClearML API, which answers from fixtures. */
function WithFixtureApi(props: PropsWithChildren<{}>) {
  const parent = useApiHolder();
  const apis = useMemo<ApiHolder>(
    () => ({
      get: <T,>(ref: ApiRef<T>) =>
        ref.id === clearmlApiRef.id ? (fixtureApi as T) : parent.get(ref),
    }),
    [parent],
  );
  return <ApiProvider apis={apis}>{props.children}</ApiProvider>;
}

function FixturePage(props: { title: string; entity: Entity }) {
  return (
    <WithFixtureApi>
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
    </WithFixtureApi>
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
];

// ---- The entity page ----

const overview = (
  <Grid container spacing={3} alignItems="stretch">
    <EntitySwitch>
      <EntitySwitch.Case if={isClearmlTenantAvailable}>
        <Grid item xs={12} lg={7}>
          <EntityClearmlHealthCard />
        </Grid>
      </EntitySwitch.Case>
    </EntitySwitch>
    <Grid item xs={12} lg={5}>
      <EntityAboutCard />
    </Grid>
    <Grid item xs={12} lg={5}>
      <EntityLinksCard />
    </Grid>
  </Grid>
);

const entityPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      {overview}
    </EntityLayout.Route>
  </EntityLayout>
);

// ---- The app ----

const app = createApp({
  apis: [
    createApiFactory({
      api: scmIntegrationsApiRef,
      deps: { configApi: configApiRef },
      factory: ({ configApi }) => ScmIntegrationsApi.fromConfig(configApi),
    }),
    ScmAuth.createDefaultApiFactory(),
  ],
  plugins: [catalogPlugin, scaffolderPlugin, clearmlPlugin],
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
      createFromTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
    bind(scaffolderPlugin.externalRoutes, {
      registerComponent: scaffolderPlugin.routes.root,
    });
  },
  components: {
    SignInPage: props => (
      <SignInPage
        {...props}
        providers={['guest']}
        title="ClearML tenants on OpenShift (local)"
      />
    ),
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="catalog" />} />
    <Route
      path="/catalog"
      element={<CatalogIndexPage initiallySelectedFilter="all" />}
    />
    <Route
      path="/catalog/:namespace/:kind/:name"
      element={<CatalogEntityPage />}
    >
      {entityPage}
    </Route>
    <Route path="/create" element={<ScaffolderPage />}>
      <ScaffolderFieldExtensions>
        <ClearmlClusterPickerFieldExtension />
        <ClearmlTenantDomainFieldExtension />
        <ClearmlStorageClassFieldExtension />
      </ScaffolderFieldExtensions>
    </Route>
    <Route path="/clearml" element={<ClearmlFleetPage />} />
    {fixturePages.map(p => (
      <Route
        key={p.path}
        path={`/fixtures/${p.path}`}
        element={<FixturePage title={p.title} entity={p.entity} />}
      />
    ))}
  </FlatRoutes>
);

const App = app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <SidebarPage>
        <Sidebar>
          <SidebarGroup label="Menu">
            <SidebarItem icon={CategoryIcon} to="catalog" text="Catalog" />
            <SidebarItem
              icon={CreateComponentIcon}
              to="create"
              text="Create..."
            />
            <SidebarItem
              icon={StorageIcon}
              to="clearml"
              text="ClearML tenants"
            />
            <SidebarDivider />
            {fixturePages.map(p => (
              <SidebarItem
                key={p.path}
                icon={BuildIcon}
                to={`fixtures/${p.path}`}
                text={`Fixture: ${p.title}`}
              />
            ))}
          </SidebarGroup>
        </Sidebar>
        {routes}
      </SidebarPage>
    </AppRouter>
  </>,
);

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
