import { Entity } from '@backstage/catalog-model';
import { REQUIRED_CLEARML_ANNOTATIONS } from '@clearml-openshift/plugin-clearml-common';

/** The required `clear.ml/*` annotations the entity lacks (empty or blank values count as missing). */
export function missingClearmlAnnotations(entity: Entity): string[] {
  const annotations = entity.metadata.annotations ?? {};
  return REQUIRED_CLEARML_ANNOTATIONS.filter(key => !annotations[key]?.trim());
}

/**
 * True when the entity carries the annotations the health card needs; use it
 * with `EntitySwitch.Case if={isClearmlTenantAvailable}`.
 *
 * @public
 */
export function isClearmlTenantAvailable(entity: Entity): boolean {
  return missingClearmlAnnotations(entity).length === 0;
}
