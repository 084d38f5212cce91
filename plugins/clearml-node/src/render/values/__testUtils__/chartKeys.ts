/**
 * Checks rendered values against the charts' own key lists in
 * `packages/test-utils/reference/clearml-charts` (see its PROVENANCE.md).
 */
import fs from 'fs';
import path from 'path';
import {
  hasPath,
  keyPaths,
  referencePath,
  subchartValues,
} from '@internal/clearml-test-utils';

export const CHARTS_DIR = referencePath('clearml-charts');

/** A chart's `values.keys.txt`: every key path of its values.yaml, one per line. */
function readKeys(file: string): Set<string> {
  return new Set(
    fs
      .readFileSync(path.join(CHARTS_DIR, file), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean),
  );
}

export interface ChartKeyChecker {
  /** The rendered key paths the chart does not know, as dotted strings. */
  unknownServerKeys(values: unknown): string[];
  unknownAgentKeys(values: unknown): string[];
}

export function loadChartKeys(): ChartKeyChecker {
  const serverKeys = readKeys('clearml/values.keys.txt');
  const agentKeys = readKeys('clearml-agent/values.keys.txt');
  const subcharts = subchartValues();
  return {
    unknownServerKeys: values =>
      keyPaths(values)
        .filter(segments => {
          const [head, ...rest] = segments;
          // A dependency's keys are read by its subchart: check them against that chart's own values.
          if (head in subcharts) return !hasPath(subcharts[head], rest);
          return !serverKeys.has(segments.join('.'));
        })
        .map(s => s.join('.')),
    unknownAgentKeys: values =>
      keyPaths(values)
        .filter(segments => !agentKeys.has(segments.join('.')))
        .map(s => s.join('.')),
  };
}
