/**
 * The size tier in the values: requests and limits of every container the
 * charts run (server, its init containers, mongodb, redis, elasticsearch and
 * its heap, the agent, the agent's task pods) and the size of every claim.
 * Keys checked against the packaged clearml 7.14.4 / clearml-agent 5.3.2
 * (`helm show values`, test/src/charts).
 */
import {
  bytesOf,
  ContainerResources,
  SizeTier,
  Tenant,
} from '@clearml-openshift/plugin-clearml-common';
import { ValuesPart, Values } from './files';

function resources(r: ContainerResources): Values {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory },
  };
}

/**
 * Elasticsearch's JVM heap: half the container's memory limit (Elastic's
 * advice), so the heap and the off-heap memory fit the limit.
 */
export function elasticsearchJavaOpts(tier: SizeTier): string {
  const mib = Math.max(
    256,
    Math.floor(bytesOf(tier.containers.elasticsearch.limits.memory) / 2 ** 21),
  );
  return `-Xmx${mib}m -Xms${mib}m`;
}

/** The server chart's sizes (both editions use the same keys; the enterprise chart's are assumed to match). */
export function serverSizingValues(tenant: Tenant): ValuesPart {
  const { tier } = tenant;
  const c = tier.containers;
  const init = { resources: resources(c.serverInit) };
  return {
    values: {
      apiserver: { resources: resources(c.apiserver), initContainers: init },
      fileserver: {
        resources: resources(c.fileserver),
        initContainers: init,
        storage: { data: { size: tier.storage.fileserver } },
      },
      webserver: { resources: resources(c.webserver), initContainers: init },
      mongodb: {
        resources: resources(c.mongodb),
        persistence: { size: tier.storage.mongodb },
      },
      redis: {
        master: {
          resources: resources(c.redis),
          persistence: { size: tier.storage.redis },
        },
      },
      elasticsearch: {
        resources: resources(c.elasticsearch),
        initResources: resources(c.elasticsearchInit),
        esJavaOpts: elasticsearchJavaOpts(tier),
        volumeClaimTemplate: {
          resources: { requests: { storage: tier.storage.elasticsearch } },
        },
      },
    },
    deviations: [
      `size tier '${tier.name}': every container requests and limits resources (the chart leaves mongodb and redis unbounded) and every claim is sized by the tier (mongodb ${tier.storage.mongodb}, redis ${tier.storage.redis}, elasticsearch ${tier.storage.elasticsearch}, fileserver ${tier.storage.fileserver}, instead of the chart's 50/5/50/50 GiB); Elasticsearch's heap is half its memory limit (${elasticsearchJavaOpts(tier)})`,
    ],
  };
}

/** The agent's sizes: the glue, its init container and the task pods it starts. */
export function agentSizingValues(tenant: Tenant): ValuesPart {
  const { tier } = tenant;
  return {
    values: {
      agentk8sglue: {
        resources: resources(tier.containers.agent),
        initContainers: { resources: resources(tier.containers.agentInit) },
        basePodTemplate: { resources: resources(tier.taskPods) },
      },
    },
    deviations: [
      `size tier '${tier.name}': the glue and every task pod it starts request and limit resources (task pods ${tier.taskPods.requests.cpu} CPU / ${tier.taskPods.requests.memory} requested, ${tier.taskPods.limits.cpu} / ${tier.taskPods.limits.memory} limit; the quota leaves room for ${tier.taskPods.count})`,
    ],
  };
}

/** Deep merge of values trees: maps merge key by key, anything else from `b` wins. */
export function mergeValues(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      isMap(existing) && isMap(value) ? mergeValues(existing, value) : value;
  }
  return out;
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Two parts as one. */
export function mergeParts(a: ValuesPart, b: ValuesPart): ValuesPart {
  return {
    values: mergeValues(a.values, b.values),
    deviations: [...a.deviations, ...b.deviations],
  };
}
