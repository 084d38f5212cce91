/**
 * The local instance's backend (`npm start` at the repository root, or
 * `npm start` here): catalog, scaffolder with the ClearML actions, the
 * ClearML health API, guest sign-in, in-memory SQLite, and the embedded demo
 * (see demo/plugin.ts). Configured by the root app-config.yaml. The plugins
 * are wired here, as a Backstage app's backend wires them; none wires another.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleClearmlTenants } from '@clearml-openshift/plugin-clearml-backend';
import { demoPlugin, demoProbeFetch } from './demo/plugin';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@clearml-openshift/plugin-scaffolder-backend-module-clearml'),
);
backend.add(import('@clearml-openshift/plugin-clearml-backend'));
// clearml-tenant Resources only from tenants/<tenant>/catalog-info.yaml of a GitOps repository (docs/security.md).
backend.add(catalogModuleClearmlTenants);
backend.add(demoPlugin);
backend.add(demoProbeFetch);

backend.start();
