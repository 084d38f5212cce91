/**
 * `clearml.credentials`: how each tenant's credentials Secret reaches its
 * cluster (docs/credentials.md). Read by `clearml:argocd:render` (which writes
 * the ExternalSecret in `externalSecrets` mode) and `clearml:credentials:create`
 * (which creates the Secret in `direct` mode).
 */
import type { Config } from '@backstage/config';
import {
  CREDENTIALS_DELIVERIES,
  CredentialsDelivery,
  DEFAULT_CREDENTIALS_DELIVERY,
} from '@clearml-openshift/plugin-clearml-common';

/** @public */
export const CREDENTIALS_DELIVERY_KEY = 'clearml.credentials.delivery';

/**
 * Reads `clearml.credentials.delivery`; an error names the key.
 *
 * @public
 */
export function readCredentialsDelivery(config: Config): CredentialsDelivery {
  const delivery =
    config.getOptionalString(CREDENTIALS_DELIVERY_KEY) ??
    DEFAULT_CREDENTIALS_DELIVERY;
  if (!(CREDENTIALS_DELIVERIES as readonly string[]).includes(delivery)) {
    throw new Error(
      `Invalid config at ${CREDENTIALS_DELIVERY_KEY}: '${delivery}' is not one of ${CREDENTIALS_DELIVERIES.join(', ')}`,
    );
  }
  return delivery as CredentialsDelivery;
}
