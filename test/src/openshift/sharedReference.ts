import path from 'path';

/** The shared reference data (`../shared/reference` next to the repository root; CI has it at the same place). */
export function sharedReferencePath(...segments: string[]): string {
  return path.resolve(__dirname, '../../../../shared/reference', ...segments);
}
