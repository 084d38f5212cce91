/**
 * The rendered values label a tenant's chart objects with `clear.ml/tenant`
 * and `backstage.io/kubernetes-id` where the charts let values add labels,
 * checked with `helm template` of the packaged charts: the mongodb and redis
 * subcharts (commonLabels), Elasticsearch (labels) and the agent
 * (agentk8sglue.labels), their pods included. clearml's own workloads cannot
 * be labelled this way; the agent's task pods are left out.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import {
  agentNames,
  resolveTenant,
  serverNames,
} from '@clearml-openshift/plugin-clearml-common';
import { renderTenantValues } from '@clearml-openshift/plugin-clearml-node';
import { helmTemplate, PACKAGED_CHARTS } from './helm';

jest.setTimeout(120_000);

const LABELS = {
  'clear.ml/tenant': 'acme',
  'backstage.io/kubernetes-id': 'acme',
};

describe('tenant labels on the rendered charts', () => {
  let objects: Array<Record<string, any>>;
  let dir: string;

  beforeAll(async () => {
    const tenant = resolveTenant({
      tenant: 'acme',
      domain: 'acme.apps.ocp.example.com',
      agent: { enabled: true },
    });
    const rendered = renderTenantValues(tenant);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-labels-'));
    for (const file of rendered.files)
      fs.writeFileSync(path.join(dir, file.path), file.content);
    const server = await helmTemplate({
      chart: PACKAGED_CHARTS.clearml,
      release: tenant.releaseName,
      namespace: tenant.namespace,
      values: [path.join(dir, 'clearml-values.yaml')],
    });
    const agent = await helmTemplate({
      chart: PACKAGED_CHARTS['clearml-agent'],
      release: agentNames('oss', tenant.releaseName).release,
      namespace: tenant.namespace,
      values: [path.join(dir, 'clearml-agent-values.yaml')],
    });
    objects = [...yaml.loadAll(server), ...yaml.loadAll(agent)].filter(
      Boolean,
    ) as Array<Record<string, any>>;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const workload = (kind: string, name: string) => {
    const found = objects.find(
      o => o.kind === kind && o.metadata.name === name,
    );
    if (!found) throw new Error(`${kind} ${name} not rendered`);
    return found;
  };

  const names = serverNames('oss', 'clearml');
  it.each([
    ['Deployment', names.mongodb.deployment],
    ['StatefulSet', names.redis.statefulSet],
    ['StatefulSet', names.elasticsearch.statefulSet],
    ['Deployment', agentNames('oss', 'clearml').deployment],
  ])('%s %s and its pods carry the tenant labels', (kind, name) => {
    const o = workload(kind, name);
    expect(o.metadata.labels).toMatchObject(LABELS);
    expect(o.spec.template.metadata.labels).toMatchObject(LABELS);
  });

  it.each([
    names.services.apiserver,
    names.services.fileserver,
    names.services.webserver,
    names.asyncDelete,
  ])(
    'Deployment %s cannot be labelled by values (clearml 7.14.4 has no such value): the view finds it by app.kubernetes.io/name',
    name => {
      const o = workload('Deployment', name);
      expect(o.metadata.labels['clear.ml/tenant']).toBeUndefined();
      expect(o.spec.template.metadata.labels['app.kubernetes.io/name']).toBe(
        names.fullname,
      );
    },
  );

  it("leaves the agent's task pods unlabelled", () => {
    const template = objects.find(
      o => o.kind === 'ConfigMap' && o.data?.['template.yaml'],
    )!;
    expect(template.data['template.yaml']).not.toContain('clear.ml/tenant');
  });
});
