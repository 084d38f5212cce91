/* eslint-disable @backstage/no-undeclared-imports -- bundled by esbuild against the app host folder (scripts/dynamic-plugins/appHosts.mjs), which holds these modules at Developer Hub's versions; none is a dependency of this package */
/**
 * A Red Hat Developer Hub app shell reduced to what loads one dynamic frontend plugin, as Developer Hub's
 * `ScalprumRoot`/`DynamicRoot` do it: Scalprum (`ScalprumProvider`, `processManifest`, the plugin store) fetches the plugin's
 * `plugin-manifest.json` from `/api/scalprum/<scope>/`, loads its entry script and initialises it with the app's
 * webpack share scope, which holds the modules Developer Hub shares with plugins at the release's versions (this file
 * is bundled with esbuild against an app host folder, scripts/dynamic-plugins/appHosts.mjs). The plugin's
 * `dynamicPlugins.frontend` config (window.__HOST_CONFIG__.frontend, from scripts/dynamic-plugins/plugin-config.yaml)
 * is applied as Developer Hub applies it: `apiFactories` into the app's APIs, `mountPoints`
 * `entity.page.overview/cards` in a grid item with the entry's `layout` when its `if.allOf` conditions hold,
 * `dynamicRoutes` as routes with their `menuItem` in a sidebar.
 *
 * What the page learned goes to window.__hostReport for the test: which shared modules the plugin took from the
 * host, which conditions held, and any error.
 */
import React, { useEffect, useMemo, useState } from 'react';
import ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import { Route, Link, useParams } from 'react-router-dom';
import * as VersionBridge from '@backstage/version-bridge';
import * as CoreAppApi from '@backstage/core-app-api';
import * as CorePluginApi from '@backstage/core-plugin-api';
import * as FrontendPluginApi from '@backstage/frontend-plugin-api';
import * as ScalprumReactCore from '@scalprum/react-core';
import * as DynamicPluginSdk from '@openshift/dynamic-plugin-sdk';
import * as MuiCoreStyles from '@material-ui/core/styles';
import * as MuiStyles from '@material-ui/styles';
import * as MuiMaterial from '@mui/material';
import * as MuiSystem from '@mui/system';
import * as MuiPrivateTheming from '@mui/private-theming';
import * as MuiStyledEngine from '@mui/styled-engine';
import * as EmotionCache from '@emotion/cache';
import * as EmotionReact from '@emotion/react';
import { createApp } from '@backstage/app-defaults';
import { FlatRoutes } from '@backstage/core-app-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { processManifest } from '@scalprum/core';
import { ScalprumProvider, useScalprum } from '@scalprum/react-core';

const config = window.__HOST_CONFIG__;
const report = (window.__hostReport = {
  consumed: [],
  conditions: {},
  routes: [],
  menuItems: [],
  errors: [],
  rendered: false,
});
window.addEventListener('error', event =>
  report.errors.push(String(event.error?.stack ?? event.message)),
);
window.addEventListener('unhandledrejection', event =>
  report.errors.push(String(event.reason?.stack ?? event.reason)),
);

// An ES module's namespace as webpack's interop expects one (`__esModule`, its default export as `default`).
const esm = namespace => ({ ...namespace, __esModule: true });

/** The app's share scope, as webpack's ModuleFederationPlugin fills it for Developer Hub's app at start. */
function appShareScope() {
  const versions = __SHARED_VERSIONS__;
  const modules = {
    react: React,
    'react-dom': ReactDOM,
    'react-router-dom': esm(ReactRouterDom),
    'react-router': esm(ReactRouter),
    '@backstage/version-bridge': esm(VersionBridge),
    '@backstage/core-app-api': esm(CoreAppApi),
    '@backstage/core-plugin-api': esm(CorePluginApi),
    '@backstage/frontend-plugin-api': esm(FrontendPluginApi),
    '@scalprum/react-core': esm(ScalprumReactCore),
    '@openshift/dynamic-plugin-sdk': esm(DynamicPluginSdk),
    '@material-ui/core/styles': esm(MuiCoreStyles),
    '@material-ui/styles': esm(MuiStyles),
    '@mui/material': esm(MuiMaterial),
    '@mui/system': esm(MuiSystem),
    '@mui/private-theming': esm(MuiPrivateTheming),
    '@mui/styled-engine': esm(MuiStyledEngine),
    '@emotion/cache': esm(EmotionCache),
    '@emotion/react': esm(EmotionReact),
  };
  const scope = {};
  for (const [name, module] of Object.entries(modules)) {
    scope[name] = {
      [versions[name]]: {
        from: 'developer-hub-app',
        eager: true,
        // Already in use by the app: a singleton that is loaded wins over any version a plugin brings.
        loaded: 1,
        get: () => {
          if (!report.consumed.includes(name)) report.consumed.push(name);
          return Promise.resolve(() => module);
        },
      },
    };
  }
  return scope;
}
// What @scalprum/core reads (webpack's globals in Developer Hub's app, which webpack builds).
window.__webpack_share_scopes__ = { default: appShareScope() };
window.__webpack_init_sharing__ = async () => undefined;

const frontend = config.frontend[config.scope];

/** An `if: { allOf: [importName, ...] }` of a mount point, against the plugin's exports. */
function conditionsHold(pluginRoot, entry, entity) {
  const allOf = entry.config?.if?.allOf ?? [];
  return allOf.every(name => {
    const held = Boolean(pluginRoot[name]?.(entity));
    report.conditions[`${name}(${entity.metadata.name})`] = held;
    return held;
  });
}

const SignInPage = ({ onSignInSuccess }) => {
  useEffect(() => {
    onSignInSuccess({
      getProfileInfo: async () => ({ displayName: config.user.name }),
      getBackstageIdentity: async () => ({
        type: 'user',
        userEntityRef: config.user.entityRef,
        ownershipEntityRefs: config.user.ownershipEntityRefs,
      }),
      getCredentials: async () => ({ token: config.user.token }),
      signOut: async () => undefined,
    });
  }, [onSignInSuccess]);
  return null;
};

function EntityOverview({ pluginRoot, entity }) {
  const cards = (frontend.mountPoints ?? [])
    .filter(m => m.mountPoint === 'entity.page.overview/cards')
    .filter(m => conditionsHold(pluginRoot, m, entity));
  return (
    <EntityProvider entity={entity}>
      <h1>{entity.metadata.title ?? entity.metadata.name}</h1>
      <MuiMaterial.Grid container spacing={3} data-testid="overview-cards">
        {cards.map(m => {
          const Card = pluginRoot[m.importName];
          return (
            <MuiMaterial.Grid
              item
              key={m.importName}
              sx={m.config?.layout}
              data-testid={`mount-${m.importName}`}
            >
              <Card />
            </MuiMaterial.Grid>
          );
        })}
      </MuiMaterial.Grid>
    </EntityProvider>
  );
}

/** The loaded PluginRoot module, for the entity page route. */
let loadedPluginRoot;

/** The catalog's entity page as the catalog plugin mounts it in the app (at entityRouteRef, which plugins link to). */
function EntityPageForRoute() {
  const { namespace, kind, name } = useParams();
  const entity = config.entities.find(
    e =>
      e.kind.toLowerCase() === kind.toLowerCase() &&
      (e.metadata.namespace ?? 'default') === namespace &&
      e.metadata.name === name,
  );
  if (!entity) return <p>No entity {name}</p>;
  return <EntityOverview pluginRoot={loadedPluginRoot} entity={entity} />;
}
const catalogPlugin = CorePluginApi.createPlugin({
  id: 'catalog',
  routes: { catalogEntity: entityRouteRef },
});
const CatalogEntityPage = catalogPlugin.provide(
  CorePluginApi.createRoutableExtension({
    name: 'CatalogEntityPage',
    component: async () => EntityPageForRoute,
    mountPoint: entityRouteRef,
  }),
);

function DynamicApp({ pluginRoot }) {
  loadedPluginRoot = pluginRoot;
  const App = useMemo(() => {
    const app = createApp({
      plugins: [catalogPlugin],
      apis: (frontend.apiFactories ?? []).map(f => pluginRoot[f.importName]),
      components: { SignInPage },
      configLoader: async () => [
        {
          context: 'host',
          data: {
            app: { baseUrl: window.location.origin, title: 'Developer Hub' },
            backend: { baseUrl: window.location.origin },
          },
        },
      ],
    });
    const routes = (frontend.dynamicRoutes ?? []).map(r => {
      const Page = pluginRoot[r.importName];
      report.routes.push(r.path);
      if (r.menuItem) report.menuItems.push(r.menuItem);
      return <Route key={r.path} path={r.path} element={<Page />} />;
    });
    const entityRoutes = (
      <Route
        path="/catalog/:namespace/:kind/:name"
        element={<CatalogEntityPage />}
      />
    );
    return app.createRoot(
      <>
        <CoreAppApi.AppRouter>
          <nav data-testid="sidebar">
            {(frontend.dynamicRoutes ?? [])
              .filter(r => r.menuItem)
              .map(r => (
                <Link key={r.path} to={r.path}>
                  {r.menuItem.text}
                </Link>
              ))}
          </nav>
          <main>
            <FlatRoutes>
              {entityRoutes}
              {routes}
            </FlatRoutes>
          </main>
        </CoreAppApi.AppRouter>
      </>,
    );
  }, [pluginRoot]);
  useEffect(() => {
    report.rendered = true;
  }, []);
  return <App />;
}

/** Loads the plugin's `PluginRoot` as Developer Hub's initializeRemotePlugins does (processManifest, then the store). */
function PluginLoader() {
  const { initialized, pluginStore } = useScalprum();
  const [state, setState] = useState({});
  useEffect(() => {
    if (!initialized) return;
    const { manifestLocation } = config.scalprum[config.scope];
    processManifest(manifestLocation, config.scope, 'PluginRoot')
      .then(() => pluginStore.getExposedModule(config.scope, 'PluginRoot'))
      .then(
        pluginRoot => setState({ pluginRoot }),
        error => {
          report.errors.push(String(error?.stack ?? error));
          setState({ error });
        },
      );
  }, [initialized, pluginStore]);
  if (state.error)
    return <pre data-testid="load-error">{String(state.error)}</pre>;
  if (!state.pluginRoot) return <p>Loading the plugin…</p>;
  return <DynamicApp pluginRoot={state.pluginRoot} />;
}

const baseUrl = window.location.origin;
createRoot(document.getElementById('root')).render(
  <ScalprumProvider
    config={config.scalprum}
    api={{ dynamicRootConfig: {} }}
    pluginSDKOptions={{
      pluginLoaderOptions: {
        // Developer Hub serves each plugin's assets under its scalprum backend (ScalprumRoot.tsx).
        transformPluginManifest: manifest => ({
          ...manifest,
          loadScripts: manifest.loadScripts.map(
            script => `${baseUrl}/api/scalprum/${manifest.name}/${script}`,
          ),
        }),
      },
    }}
  >
    <PluginLoader />
  </ScalprumProvider>,
);
