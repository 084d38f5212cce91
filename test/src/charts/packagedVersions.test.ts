/**
 * The packaged chart versions an upgrade goes between (packages/test-utils/reference/clearml-charts/packaged): each
 * archive is the chart version its name says, its Chart.yaml kubeVersion is the one KNOWN_CHART_KUBE_VERSIONS holds,
 * and Helm renders it on the Kubernetes versions that range admits and refuses it on the others, as Argo CD's sync
 * would (OpenShift 4.18 = Kubernetes 1.31, 4.19 = 1.32, 4.20 = 1.33).
 */
/* eslint-disable jest/no-conditional-expect -- one case per (chart, Kubernetes version): it renders or it is refused */
import fs from 'fs';
import {
  KNOWN_CHART_KUBE_VERSIONS,
  KNOWN_CHART_RENDERED_APIS,
  kubeVersionSatisfies,
  readChartArchive,
} from '@clearml-openshift/plugin-clearml-node';
import {
  helmTemplate,
  PACKAGED_CHART_VERSIONS,
  packagedChartFile,
} from './helm';

jest.setTimeout(120_000);

const PACKAGED = Object.entries(PACKAGED_CHART_VERSIONS).flatMap(
  ([chart, versions]) => versions.map(version => ({ chart, version })),
);

describe.each(PACKAGED)('packaged $chart $version', ({ chart, version }) => {
  const file = packagedChartFile(chart, version);

  it('is that chart version, and its kubeVersion is the known one', async () => {
    const archive = await readChartArchive(fs.readFileSync(file));
    expect(archive.chart.name).toBe(chart);
    expect(archive.chart.version).toBe(version);
    expect(archive.chart.kubeVersion).toBe(
      KNOWN_CHART_KUBE_VERSIONS[`${chart}@${version}`],
    );
  });

  it.each(['1.31.4', '1.32.5', '1.33.2'])(
    'renders on Kubernetes %s exactly when its kubeVersion admits it',
    async kube => {
      const range = KNOWN_CHART_KUBE_VERSIONS[`${chart}@${version}`];
      const rendered = helmTemplate({
        release: 'clearml',
        chart: file,
        namespace: 'clearml-acme',
        kubeVersion: kube,
      });
      if (kubeVersionSatisfies(range, kube)) {
        const out = await rendered;
        expect(out).toContain('kind: Deployment');
        // Known rendered APIs (used for the automatic kubeVersion bridge) hold for the versions that have them.
        const facts = KNOWN_CHART_RENDERED_APIS[`${chart}@${version}`];
        const apis = [
          ...new Set([...out.matchAll(/^apiVersion: (\S+)$/gm)].map(m => m[1])),
        ];
        for (const api of apis)
          expect(facts?.apiVersions ?? apis).toContain(api);
      } else {
        await expect(rendered).rejects.toThrow(
          `chart requires kubeVersion: ${range} which is incompatible with Kubernetes v${kube}`,
        );
      }
    },
  );
});

it('clearml 7.14.1 / clearml-agent 5.3.0 run on OpenShift 4.18 only; 7.14.4 / 5.3.2 on 4.18 and 4.19; none on 4.20', () => {
  const admits = (chart: string, version: string, kube: string) =>
    kubeVersionSatisfies(
      KNOWN_CHART_KUBE_VERSIONS[`${chart}@${version}`],
      kube,
    );
  expect(
    PACKAGED.map(p =>
      ['1.31.4', '1.32.5', '1.33.2'].map(k => admits(p.chart, p.version, k)),
    ),
  ).toEqual([
    [true, false, false],
    [true, true, false],
    [true, false, false],
    [true, true, false],
  ]);
});
