/**
 * The comment header every values file starts with: what it is for, the chart
 * it targets, the grants it relies on, and where it departs from the vendor
 * documentation and why — so a reviewer of the GitOps PR can judge the file
 * on its own.
 */
import { SccGrant } from '@clearml-openshift/plugin-clearml-common';

export interface HeaderParts {
  /** What the file is for: tenant, namespace, release. */
  purpose: string[];
  /** Chart name and version (or "private chart"). */
  chart: string;
  /** Other notes a reader needs (exposure, credentials). */
  notes: string[];
  securityProfile: string;
  /** Grants to the accounts this file's workloads run as. */
  grants: SccGrant[];
  deviations: string[];
}

export function valuesFileHeader(parts: HeaderParts): string[] {
  const lines = [
    ...parts.purpose,
    `Chart: ${parts.chart}`,
    'Rendered by the Backstage action clearml:values:render: change the template inputs, not this file.',
    ...parts.notes,
    '',
  ];
  if (parts.grants.length) {
    lines.push(
      `SCC grants these values rely on (security profile ${parts.securityProfile}; clearml:scc:grant applies them):`,
    );
    for (const grant of parts.grants)
      lines.push(`  ${grant.scc} -> ${grant.serviceAccount}: ${grant.reason}`);
  } else {
    lines.push(
      `SCC grants: none (security profile ${parts.securityProfile}): the pods of this file run under restricted-v2.`,
    );
  }
  lines.push(
    '',
    'Where these values deliberately depart from the vendor documentation, and why:',
  );
  for (const deviation of parts.deviations) lines.push(`  - ${deviation}`);
  return lines;
}
