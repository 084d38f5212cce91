/**
 * The local instance's app on Backstage's new frontend system (`npm start -- --new-frontend` at the repository root,
 * or `npm start` here while the backend runs): the catalog, the scaffolder and the ClearML plugin from
 * `@clearml-openshift/plugin-clearml/alpha`, nothing wired by hand. The tenant health card is on ClearML tenants'
 * entity pages, the template fields are on the create page. packages/app is the same app on the legacy system.
 */
import ReactDOM from 'react-dom/client';
// Styles of Backstage UI components, as a Backstage app's index.tsx imports them.
import '@backstage/ui/css/styles.css';
import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import clearmlPlugin from '@clearml-openshift/plugin-clearml/alpha';

// Guest sign-in, as in packages/app: the backend's guest provider gives the token the clearml API needs.
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => (
      <SignInPage
        {...props}
        providers={['guest']}
        title="ClearML tenants on OpenShift (local, new frontend system)"
      />
    ),
  },
});

const app = createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    clearmlPlugin,
    createFrontendModule({ pluginId: 'app', extensions: [signInPage] }),
  ],
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
