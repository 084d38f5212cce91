/**
 * docs/health-backend.md shows the read ClusterRole a platform team gives the health backend's token; it must be the
 * one the repository ships (plugins/clearml-backend/rbac), or a team following the page gets a token the shared view
 * cannot use.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const REPO = path.resolve(__dirname, '../../..');

function clusterRoles(
  text: string,
): Array<{ metadata: { name: string }; rules: unknown }> {
  return yaml
    .loadAll(text)
    .filter((doc: any) => doc?.kind === 'ClusterRole') as any;
}

describe('docs/health-backend.md', () => {
  it('shows the read ClusterRole the repository ships, rule for rule', () => {
    const doc = fs.readFileSync(
      path.join(REPO, 'docs/health-backend.md'),
      'utf8',
    );
    const shown = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .flatMap(m => clusterRoles(m[1]))
      .filter(role => role.metadata.name === 'clearml-health-reader');
    const [shipped] = clusterRoles(
      fs.readFileSync(
        path.join(
          REPO,
          'plugins/clearml-backend/rbac/clearml-health-reader.yaml',
        ),
        'utf8',
      ),
    );
    expect(shown).toHaveLength(1);
    expect(shown[0].rules).toEqual(shipped.rules);
  });
});
