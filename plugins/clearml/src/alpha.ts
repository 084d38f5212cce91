/**
 * The ClearML plugin for Backstage's new frontend system
 * (`@clearml-openshift/plugin-clearml/alpha`): the default export is the
 * plugin; the named exports are its extensions, for apps that override them.
 *
 * @packageDocumentation
 */
export { clearmlPlugin as default } from './alpha/plugin';
export {
  clearmlApi,
  clearmlTenantHealthEntityCard,
  clearmlClusterPickerFormField,
  clearmlTenantDomainFormField,
  clearmlStorageClassFormField,
  clearmlFleetPage,
} from './alpha/extensions';
