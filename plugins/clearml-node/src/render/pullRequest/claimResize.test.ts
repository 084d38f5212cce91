import { DEFAULT_TIERS } from '@clearml-openshift/plugin-clearml-common';
import { claimResizes, renderClaimResizes } from './claimResize';

const [small, medium] = DEFAULT_TIERS;

describe('claimResizes', () => {
  it('a tier up grows every claim; the StatefulSets’ claims need a cluster admin', () => {
    const resizes = claimResizes(small, medium);
    expect(resizes).toEqual([
      {
        claim: 'mongodb',
        before: '20Gi',
        after: '50Gi',
        grows: true,
        statefulSet: false,
      },
      {
        claim: 'redis',
        before: '2Gi',
        after: '5Gi',
        grows: true,
        statefulSet: true,
      },
      {
        claim: 'elasticsearch',
        before: '20Gi',
        after: '50Gi',
        grows: true,
        statefulSet: true,
      },
      {
        claim: 'fileserver',
        before: '20Gi',
        after: '100Gi',
        grows: true,
        statefulSet: false,
      },
    ]);
    const markdown = renderClaimResizes(resizes, 'clearml-acme');
    expect(markdown).toContain('### Storage');
    expect(markdown).toContain(
      "oc delete statefulset <statefulset> -n 'clearml-acme' --cascade=orphan",
    );
    expect(markdown).toContain('- `elasticsearch`: `20Gi` → `50Gi`');
  });

  it('a tier down shrinks them; the same tier changes nothing', () => {
    expect(claimResizes(medium, small).every(r => !r.grows)).toBe(true);
    expect(claimResizes(small, small)).toEqual([]);
    expect(renderClaimResizes([], 'clearml-acme')).toBe('');
  });
});
