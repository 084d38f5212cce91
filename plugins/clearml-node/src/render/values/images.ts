/**
 * The images a tenant pulls: the pinned charts' references (what `helm
 * template` of clearml 7.14.4 and clearml-agent 5.3.2 renders, checked by the
 * chart tests), with every reference on the dead list (clearml-common
 * `DEAD_IMAGES`) replaced, and, with `clearml.images.registry`, every one
 * rewritten to the mirror; with `clearml.images.pullSecret`, every pod
 * (subcharts and the agent's task pods included) names the pull secret.
 */
import {
  deadImage,
  ImageSettings,
  mirroredImageReference,
  normalizeImageReference,
  parseImageReference,
  Tenant,
  TenantImages,
} from '@clearml-openshift/plugin-clearml-common';
import { Values } from './files';

/** What the pinned server chart renders by default, by where its values set it.
 *
 * @public
 */
export const SERVER_CHART_IMAGES = {
  /** apiserver, fileserver, webserver and their init containers: `global.imageRegistry` + `<component>.image`. */
  clearml: 'docker.io/allegroai/clearml:2.0.0-613',
  /** Bitnami subchart: `mongodb.image.{registry,repository,tag}`. */
  mongodb: 'docker.io/bitnami/mongodb:6.0.10-debian-11-r8',
  /** Bitnami subchart: `redis.image.{registry,repository,tag}`. */
  redis: 'docker.io/bitnami/redis:7.0.9-debian-11-r1',
  /** Elastic subchart: `elasticsearch.image` (registry and repository) + `elasticsearch.imageTag`. */
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.3',
} as const;

/** What the pinned agent chart renders by default.
 *
 * @public
 */
export const AGENT_CHART_IMAGES = {
  /** The glue pod: `global.imageRegistry` + `agentk8sglue.image`. */
  glue: 'docker.io/allegroai/clearml-agent-k8s-base:1.24-21',
  /** Task pods' default image: `agentk8sglue.defaultContainerImage`, passed to the agent as CLEARML_DOCKER_IMAGE. */
  task: 'docker.io/library/ubuntu:18.04',
} as const;

interface Pulled {
  /** After the dead list. */
  live: string;
  /** After the mirror: what the pod pulls. */
  pulled: string;
  replaced?: { from: string; to: string; sources: string[] };
}

function pulled(reference: string, settings: ImageSettings): Pulled {
  const dead = deadImage(reference);
  const live = normalizeImageReference(dead ? dead.replacement : reference);
  return {
    live,
    pulled: settings.registry
      ? mirroredImageReference(live, settings.registry)
      : live,
    ...(dead
      ? {
          replaced: {
            from: dead.reference,
            to: dead.replacement,
            sources: dead.sources,
          },
        }
      : {}),
  };
}

/**
 * Bitnami's `image` block for a reference (its chart keeps the tag): the
 * repository after the dead list, the registry the mirror's (a path in the
 * mirror belongs to the registry, as with `global.imageRegistry`).
 */
function bitnamiImage(
  image: Pulled,
  original: string,
  settings: ImageSettings,
): Values | undefined {
  if (image.pulled === normalizeImageReference(original)) return undefined;
  const live = parseImageReference(image.live);
  return {
    image: {
      registry: settings.registry ?? live.registry,
      repository: live.repository,
    },
  };
}

/** The server chart's image values and what it pulls. */
export function serverImageValues(
  tenant: Tenant,
  settings: ImageSettings,
): { values: Values; images: Pulled[] } {
  if (tenant.edition !== 'oss') return { values: {}, images: [] };
  const images = {
    clearml: pulled(SERVER_CHART_IMAGES.clearml, settings),
    mongodb: pulled(SERVER_CHART_IMAGES.mongodb, settings),
    redis: pulled(SERVER_CHART_IMAGES.redis, settings),
    elasticsearch: pulled(SERVER_CHART_IMAGES.elasticsearch, settings),
  };
  const mongodb = bitnamiImage(
    images.mongodb,
    SERVER_CHART_IMAGES.mongodb,
    settings,
  );
  const redis = bitnamiImage(images.redis, SERVER_CHART_IMAGES.redis, settings);
  const elastic = parseImageReference(images.elasticsearch.live);
  const secret = settings.pullSecret;
  const values: Values = {
    // The chart's own images, and the Bitnami subcharts' (a parent's global reaches its subcharts).
    ...(settings.registry || secret
      ? {
          global: {
            ...(settings.registry ? { imageRegistry: settings.registry } : {}),
            ...(secret ? { imagePullSecrets: [secret] } : {}),
          },
        }
      : {}),
    ...(secret
      ? { imageCredentials: { enabled: true, existingSecret: secret } }
      : {}),
    ...(mongodb ? { mongodb } : {}),
    ...(redis ? { redis } : {}),
    ...(settings.registry || secret
      ? {
          elasticsearch: {
            ...(settings.registry
              ? { image: `${settings.registry}/${elastic.repository}` }
              : {}),
            ...(secret ? { imagePullSecrets: [{ name: secret }] } : {}),
          },
        }
      : {}),
  };
  return { values, images: Object.values(images) };
}

/** The agent chart's image values (its task pods included) and what it pulls. */
export function agentImageValues(
  tenant: Tenant,
  settings: ImageSettings,
): { values: Values; images: Pulled[] } {
  if (tenant.edition !== 'oss' || !tenant.agent.enabled)
    return { values: {}, images: [] };
  const glue = pulled(AGENT_CHART_IMAGES.glue, settings);
  const task = pulled(AGENT_CHART_IMAGES.task, settings);
  const secret = settings.pullSecret;
  const values: Values = {
    ...(settings.registry
      ? { global: { imageRegistry: settings.registry } }
      : {}),
    // The chart puts imagePullSecrets on the glue pod and on the task pods' template.
    ...(secret
      ? { imageCredentials: { enabled: true, existingSecret: secret } }
      : {}),
    ...(task.pulled !== normalizeImageReference(AGENT_CHART_IMAGES.task)
      ? { agentk8sglue: { defaultContainerImage: task.pulled } }
      : {}),
  };
  return { values, images: [glue, task] };
}

/** What the review page and the pull request say about images. */
export function tenantImages(
  settings: ImageSettings,
  images: readonly Pulled[],
): TenantImages {
  const replaced = new Map<string, TenantImages['replaced'][number]>();
  for (const image of images)
    if (image.replaced) replaced.set(image.replaced.from, image.replaced);
  return {
    ...(settings.registry ? { registry: settings.registry } : {}),
    ...(settings.pullSecret ? { pullSecret: settings.pullSecret } : {}),
    references: [...new Set(images.map(i => i.pulled))].sort(),
    replaced: [...replaced.values()],
  };
}
