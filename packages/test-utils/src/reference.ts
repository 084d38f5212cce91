import path from 'path';

/** The folder of public reference data that tests check against (`packages/test-utils/reference`; see its README.md). */
export const REFERENCE_DIR = path.resolve(__dirname, '../reference');

/** A file or folder in `packages/test-utils/reference`, e.g. `referencePath('openshift-api', 'default-sccs')`. */
export function referencePath(...segments: string[]): string {
  return path.join(REFERENCE_DIR, ...segments);
}
