import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { KubernetesPolicyRule } from '@internal/clearml-test-utils';

/** The rules of the shipped read-only ClusterRole (rbac/clearml-health-reader.yaml): the tests' read token has exactly these. */
export function documentedReaderRules(): KubernetesPolicyRule[] {
  const docs = yaml.loadAll(
    fs.readFileSync(
      path.join(__dirname, '..', '..', 'rbac', 'clearml-health-reader.yaml'),
      'utf8',
    ),
  ) as any[];
  return docs.find(d => d.kind === 'ClusterRole').rules;
}
