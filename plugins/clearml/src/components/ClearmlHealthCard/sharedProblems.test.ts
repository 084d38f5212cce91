import { brokenReport, unreachableReport } from '../../../dev/fixtures';
import { splitSharedProblems } from './sharedProblems';

describe('splitSharedProblems', () => {
  it('lifts a problem every component has out of the rows', () => {
    const { shared, components } = splitSharedProblems(
      unreachableReport().components,
    );
    expect(shared.map(p => p.reason)).toEqual(['ClusterUnreachable']);
    expect(components.every(c => c.problems.length === 0)).toBe(true);
  });

  it("leaves each component's own problems where they are", () => {
    const report = brokenReport();
    const { shared, components } = splitSharedProblems(report.components);
    expect(shared).toEqual([]);
    expect(components).toEqual(report.components);
  });
});
