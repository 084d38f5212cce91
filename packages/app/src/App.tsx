/**
 * The local instance's app: guest sign-in, the catalog with an entity page that carries the tenant health card, the
 * scaffolder's create page with the ClearML field extensions, and the fleet page, all talking to the backend on
 * :7007 (packages/backend). The plugins are wired here, as a Backstage app wires them; the card against made-up
 * reports is the clearml plugin's own dev app (`npm start` in plugins/clearml).
 */
import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import {
  AlertDisplay,
  OAuthRequestDialog,
  Sidebar,
  SidebarGroup,
  SidebarItem,
  SidebarPage,
  SignInPage,
} from '@backstage/core-components';
import { configApiRef, createApiFactory } from '@backstage/core-plugin-api';
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
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
import Grid from '@material-ui/core/Grid';
import CategoryIcon from '@material-ui/icons/Category';
import CreateComponentIcon from '@material-ui/icons/AddCircleOutline';
import StorageIcon from '@material-ui/icons/Storage';
import {
  ClearmlClusterPickerFieldExtension,
  ClearmlFleetPage,
  clearmlPlugin,
  ClearmlTenantDomainFieldExtension,
  ClearmlStorageClassFieldExtension,
  EntityClearmlHealthCard,
  isClearmlTenantAvailable,
} from '@clearml-openshift/plugin-clearml';

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
  </FlatRoutes>
);

export const App = app.createRoot(
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
          </SidebarGroup>
        </Sidebar>
        {routes}
      </SidebarPage>
    </AppRouter>
  </>,
);
