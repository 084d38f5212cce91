/**
 * `clearml.images`: the mirror registry every tenant image is pulled through
 * and the pull secret pods use for it. Read once at startup; a wrong value
 * names its config key.
 */
import type { Config } from '@backstage/config';
import {
  IMAGE_REGISTRY_PATTERN,
  ImageSettings,
} from '@clearml-openshift/plugin-clearml-common';

const SECRET_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** @public */
export function readImageSettings(config: Config): ImageSettings {
  const images = config.getOptionalConfig('clearml.images');
  if (!images) return {};
  const registry = images.getOptionalString('registry')?.replace(/\/+$/, '');
  if (registry !== undefined && !IMAGE_REGISTRY_PATTERN.test(registry)) {
    throw new Error(
      `Invalid config at clearml.images.registry: '${registry}' is not a registry host[:port][/path] (no scheme, lower case), e.g. mirror.example.com:5000/clearml`,
    );
  }
  const pullSecret = images.getOptionalString('pullSecret');
  if (
    pullSecret !== undefined &&
    (pullSecret.length > 253 || !SECRET_NAME.test(pullSecret))
  ) {
    throw new Error(
      `Invalid config at clearml.images.pullSecret: '${pullSecret}' is not a Secret name (DNS-1123 subdomain)`,
    );
  }
  return {
    ...(registry ? { registry } : {}),
    ...(pullSecret ? { pullSecret } : {}),
  };
}
