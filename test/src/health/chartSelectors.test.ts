/**
 * The health check finds a tenant's workloads and pods by label selectors
 * (clearml-node's TENANT_OBJECT_SELECTORS, the same for every release name). Checked here against what the
 * real charts render: every workload the check looks for carries them, its
 * pods too, and the task pods the agent starts do not.
 */
import yaml from 'js-yaml';
import {
  agentNames,
  serverNames,
} from '@clearml-openshift/plugin-clearml-common';
import { TENANT_OBJECT_SELECTORS } from '@clearml-openshift/plugin-clearml-node';
import { matchesLabelSelector } from '@internal/clearml-test-utils';
import { helmTemplateSync, PACKAGED_CHARTS } from '../charts/helm';

const rendered = (options: Parameters<typeof helmTemplateSync>[0]) =>
  (
    yaml.loadAll(helmTemplateSync(options)) as Array<Record<string, any>>
  ).filter(Boolean);

const matchesAny = (
  selectors: readonly string[],
  labels: Record<string, string> | undefined,
) => selectors.some(s => matchesLabelSelector(s, labels));

describe.each(['clearml', 'team-a'])(
  'chart labels the health check selects by (server release %s)',
  release => {
    const namespace = 'clearml-acme';
    const server = rendered({
      chart: PACKAGED_CHARTS.clearml,
      release,
      namespace,
    });
    const names = serverNames('oss', release);
    const agent = agentNames('oss', release);
    const agentObjects = rendered({
      chart: PACKAGED_CHARTS['clearml-agent'],
      release: agent.release,
      namespace,
      set: {
        'agentk8sglue.apiServerUrlReference': `http://${names.services.apiserver}:8008`,
      },
    });
    const all = [...server, ...agentObjects];

    const expected: Array<[kind: 'Deployment' | 'StatefulSet', name: string]> =
      [
        ['Deployment', names.services.apiserver],
        ['Deployment', names.services.fileserver],
        ['Deployment', names.services.webserver],
        ['Deployment', names.asyncDelete],
        ['Deployment', names.mongodb.deployment],
        ['StatefulSet', names.redis.statefulSet],
        ['StatefulSet', names.elasticsearch.statefulSet],
        ['Deployment', agent.deployment],
      ];

    it.each(expected)(
      '%s %s and its pods match the selectors',
      (kind, name) => {
        const workload = all.find(
          o => o.kind === kind && o.metadata.name === name,
        );
        expect(workload).toBeDefined();
        const selectors =
          kind === 'Deployment'
            ? TENANT_OBJECT_SELECTORS.deployments
            : TENANT_OBJECT_SELECTORS.statefulsets;
        expect(matchesAny(selectors, workload!.metadata.labels)).toBe(true);
        expect(
          matchesAny(
            TENANT_OBJECT_SELECTORS.pods,
            workload!.spec.template.metadata.labels,
          ),
        ).toBe(true);
      },
    );

    it('selects no other workload than those, and no pod the agent starts for a task', () => {
      const selected = all
        .filter(
          o =>
            (o.kind === 'Deployment' &&
              matchesAny(
                TENANT_OBJECT_SELECTORS.deployments,
                o.metadata.labels,
              )) ||
            (o.kind === 'StatefulSet' &&
              matchesAny(
                TENANT_OBJECT_SELECTORS.statefulsets,
                o.metadata.labels,
              )),
        )
        .map(o => `${o.kind} ${o.metadata.name}`)
        .sort();
      expect(selected).toEqual(
        expected.map(([kind, name]) => `${kind} ${name}`).sort(),
      );

      // The k8s glue's pod template for task pods (ConfigMap <agent>-pt, template.yaml).
      const template = agentObjects.find(
        o => o.kind === 'ConfigMap' && o.data?.['template.yaml'],
      );
      const taskPod = yaml.load(template!.data['template.yaml']) as {
        metadata: { labels?: Record<string, string> };
      };
      // The glue adds its own labels to each task pod (queue, task id); none of them is a chart label.
      const taskLabels = {
        ...taskPod.metadata.labels,
        'clearml-agent-queue': 'q1',
        'clearml-agent-queue-name': 'default',
        'ai.allegro.agent.serial': 'pod-1',
      };
      expect(matchesAny(TENANT_OBJECT_SELECTORS.pods, taskLabels)).toBe(false);
    });
  },
);
