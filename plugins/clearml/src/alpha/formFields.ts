/**
 * The template fields as the new frontend system's scaffolder loads them
 * (lazily, through the form-field extensions in `extensions.tsx`): the same
 * components and validation as the legacy field extensions in `plugin.ts`.
 */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ClusterPicker,
  StorageClassField,
  TenantDomainField,
  validateClusterCharts,
  validateStorageClass,
} from '../components/ClusterPicker';

/** `ui:field: ClearmlClusterPicker`. */
export const clusterPickerFormField = createFormField({
  name: 'ClearmlClusterPicker',
  component: ClusterPicker,
  validation: validateClusterCharts,
});

/** `ui:field: ClearmlTenantDomain`. */
export const tenantDomainFormField = createFormField({
  name: 'ClearmlTenantDomain',
  component: TenantDomainField,
});

/** `ui:field: ClearmlStorageClass`. */
export const storageClassFormField = createFormField({
  name: 'ClearmlStorageClass',
  component: StorageClassField,
  validation: validateStorageClass,
});
