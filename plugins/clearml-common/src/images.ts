/**
 * Container image references: how one is read (registry, repository, tag, as
 * a container runtime reads it), how a mirror registry rewrites it, and the
 * one list of references the charts pin that can no longer be pulled, each
 * with what replaces it and the public sources that say so. The values
 * renderer overrides every listed reference; the chart tests check that no
 * rendered image is on the list. See docs/openshift-and-clearml.md#images.
 */

/** Docker Hub, as references without a registry mean it.
 *
 * @public
 */
export const DOCKER_HUB = 'docker.io';

/**
 * A reference split the way a container runtime reads it: the first path
 * component is a registry only when it has a `.` or `:` or is `localhost`;
 * otherwise Docker Hub, where single-name repositories live under `library/`.
 *
 * @public
 */
export interface ImageReference {
  registry: string;
  repository: string;
  /** Tag, or `@sha256:…` digest with its `@`. */
  tag: string;
}

/** @public */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    registry = first;
    rest = rest.slice(slash + 1);
  }
  let tag = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const repository =
    registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry, repository, tag };
}

/** `registry/repository:tag` (or `@digest`), fully spelled out. @public */
export function formatImageReference(image: ImageReference): string {
  const separator = image.tag.startsWith('@') ? '' : ':';
  return `${image.registry}/${image.repository}${separator}${image.tag}`;
}

/** The same reference fully spelled out (`ubuntu:18.04` → `docker.io/library/ubuntu:18.04`). @public */
export function normalizeImageReference(reference: string): string {
  return formatImageReference(parseImageReference(reference));
}

/**
 * The reference pulled through a mirror: the registry replaced, the
 * repository path kept (what Helm charts' `global.imageRegistry` does and
 * what `oc image mirror` to `<mirror>/<repository>` produces).
 *
 * @public
 */
export function mirroredImageReference(
  reference: string,
  mirrorRegistry: string,
): string {
  return formatImageReference({
    ...parseImageReference(reference),
    registry: mirrorRegistry,
  });
}

/**
 * A pinned reference that cannot be pulled any more.
 *
 * @public
 */
export interface DeadImage {
  /** As the chart renders it, fully spelled out. */
  reference: string;
  /** The same image where it can be pulled today. */
  replacement: string;
  /** Why: the public announcements and issues that say so. */
  sources: string[];
  /** What the replacement costs. */
  note: string;
}

const BITNAMI_SOURCES = [
  'https://github.com/bitnami/containers/issues/83267',
  'https://github.com/bitnami/charts/issues/35164',
  'https://github.com/clearml/clearml-helm-charts/issues/379',
  'https://github.com/clearml/clearml-helm-charts/issues/367',
];
const BITNAMI_NOTE =
  "docker.io/bitnamilegacy is a frozen copy of Bitnami's former catalog: it receives no updates or security fixes";

/**
 * Every image reference the known chart versions pin that is gone, and its replacement.
 *
 * @public
 */
export const DEAD_IMAGES: readonly DeadImage[] = [
  {
    // clearml 7.14.4 → Bitnami mongodb chart 13.18.5
    reference: 'docker.io/bitnami/mongodb:6.0.10-debian-11-r8',
    replacement: 'docker.io/bitnamilegacy/mongodb:6.0.10-debian-11-r8',
    sources: BITNAMI_SOURCES,
    note: BITNAMI_NOTE,
  },
  {
    // clearml 7.14.4 → Bitnami redis chart 17.8.3
    reference: 'docker.io/bitnami/redis:7.0.9-debian-11-r1',
    replacement: 'docker.io/bitnamilegacy/redis:7.0.9-debian-11-r1',
    sources: BITNAMI_SOURCES,
    note: BITNAMI_NOTE,
  },
];

/**
 * The list's entry for a reference (any spelling of it), if it is dead.
 *
 * @public
 */
export function deadImage(reference: string): DeadImage | undefined {
  const normalized = normalizeImageReference(reference);
  return DEAD_IMAGES.find(
    d => normalizeImageReference(d.reference) === normalized,
  );
}

/**
 * The platform's image settings (`clearml.images`): a mirror registry every
 * image is pulled through, and the pull secret (in each tenant namespace)
 * pods use for it.
 *
 * @public
 */
export interface ImageSettings {
  /** `host[:port][/path]` of the mirror; every rendered image is rewritten to it. */
  registry?: string;
  /** Name of the `kubernetes.io/dockerconfigjson` Secret in the tenant's namespace. */
  pullSecret?: string;
}

/**
 * What a tenant pulls, as the review page and the pull request state it.
 *
 * @public
 */
export interface TenantImages {
  registry?: string;
  pullSecret?: string;
  /** Every image the rendered charts reference, fully spelled out, sorted. */
  references: string[];
  /** Chart pins the values override because they are gone. */
  replaced: Array<{ from: string; to: string; sources: string[] }>;
}

/** `host[:port][/path]`: what `clearml.images.registry` must look like.
 *
 * @public
 */
export const IMAGE_REGISTRY_PATTERN =
  /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
