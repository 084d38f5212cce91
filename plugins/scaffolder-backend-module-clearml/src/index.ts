/**
 * Scaffolder actions that render ClearML tenants for OpenShift, open the
 * GitOps pull request and apply SCC grants.
 *
 * Install: `backend.add(import('@clearml-openshift/plugin-scaffolder-backend-module-clearml'))`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleClearml as default } from './module';
export { createClearmlValuesRenderAction } from './actions/valuesRender';
export { createClearmlRoutesRenderAction } from './actions/routesRender';
