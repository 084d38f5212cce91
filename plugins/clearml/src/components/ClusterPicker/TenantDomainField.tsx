/**
 * `ui:field: ClearmlTenantDomain`: the tenant's domain, filled in with
 * `clearml-<tenant>.<appsDomain>` (clearml-common's `defaultTenantDomain`) from
 * the tenant name and the picked cluster's apps domain, and following them
 * until the user types their own. The form's other values come from
 * `formContext.formData`, which the scaffolder's stepper passes to every field.
 */
import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  defaultTenantDomain,
  tenantHostParent,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';

function hosts(domain: string): string {
  const h = tenantHosts(domain);
  return `${h.web}, ${h.api}, ${h.files}`;
}
import { useClusters } from './useClusters';

export const TenantDomainField = (
  props: FieldExtensionComponentProps<string>,
) => {
  const {
    onChange,
    formData,
    schema,
    rawErrors,
    required,
    idSchema,
    formContext,
  } = props;
  const values = ((
    formContext as { formData?: Record<string, unknown> } | undefined
  )?.formData ?? {}) as Record<string, unknown>;
  const tenant = typeof values.tenant === 'string' ? values.tenant : undefined;
  const appGateway = values.appGateway === true;
  const clusterName =
    typeof values.cluster === 'string' ? values.cluster : undefined;
  const { clusters } = useClusters();
  const cluster = clusters?.find(c => c.name === clusterName);
  const suggested =
    tenant && cluster?.appsDomain
      ? defaultTenantDomain(tenant, cluster.appsDomain)
      : undefined;
  // A domain the user typed is kept; one the field filled in follows the tenant and cluster.
  const [edited, setEdited] = useState(false);

  useEffect(() => {
    if (!edited && suggested && formData !== suggested) onChange(suggested);
  }, [edited, suggested, formData, onChange]);

  // The scaffolder's field template already shows ui:help; this line is for what only the field knows.
  let helperText: string | undefined;
  if (cluster && !cluster.appsDomain) {
    helperText = `Cluster ${cluster.name} has no apps domain configured: enter the tenant's domain.`;
  } else if (suggested) {
    helperText =
      `${formData === suggested ? 'Default' : `Default would be ${suggested}`}: hosts ${hosts(suggested)} are one label under ` +
      `${cluster!.appsDomain}, covered by the router's certificate *.${cluster!.appsDomain}`;
  }
  if (formData && appGateway) {
    helperText = `${helperText ? `${helperText}. ` : ''}The app gateway's ${tenantHosts(formData).appGateway} is two labels under ${tenantHostParent(formData)}: no router default certificate covers it; it needs a wildcard certificate of its own (an existing wildcard secret, or cert-manager with a DNS-01 issuer)`;
  }

  return (
    <TextField
      id={idSchema?.$id ?? 'clearml-domain'}
      fullWidth
      margin="normal"
      label={schema.title ?? 'Domain'}
      required={required}
      value={formData ?? ''}
      error={(rawErrors?.length ?? 0) > 0}
      helperText={helperText}
      InputLabelProps={{ shrink: true }}
      onChange={event => {
        setEdited(true);
        onChange(event.target.value || undefined);
      }}
    />
  );
};
