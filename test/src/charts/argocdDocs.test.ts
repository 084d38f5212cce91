/**
 * The Argo CD objects docs/argocd.md tells a platform team to apply (the root
 * Application, the AppProject, the ApplicationSet, the ClusterRole) are valid
 * objects of Argo CD 3.6's CRDs and Kubernetes' schema, and the example
 * Application is what the renderer produces.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import os from 'os';
import {
  argocdCrdValidator,
  kubernetesValidator,
  ObjectValidator,
} from './schemaValidators';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';

const DOC = fs.readFileSync(
  path.resolve(__dirname, '../../../docs/argocd.md'),
  'utf8',
);
const VALIDATORS: Record<string, ObjectValidator> = {
  Application: argocdCrdValidator('application-crd.yaml'),
  ApplicationSet: argocdCrdValidator('applicationset-crd.yaml'),
  AppProject: argocdCrdValidator('appproject-crd.yaml'),
  ClusterRole: kubernetesValidator(
    'V1ClusterRole',
    'rbac.authorization.k8s.io/v1',
    'ClusterRole',
  ),
};

const objects = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map(m => yaml.load(m[1]) as any)
  .filter(o => o && typeof o === 'object' && o.kind);

describe('docs/argocd.md', () => {
  it('shows the root Application, a project, an ApplicationSet and the ClusterRole', () => {
    expect(objects.map(o => o.kind).sort()).toEqual([
      'AppProject',
      'Application',
      'Application',
      'ApplicationSet',
      'ClusterRole',
    ]);
  });

  it.each(objects.map(o => [`${o.kind} ${o.metadata.name}`, o] as const))(
    '%s is valid',
    (_name, object) => {
      const validate = VALIDATORS[object.kind];
      expect([validate(object), validate.errors]).toEqual([true, null]);
    },
  );

  it('shows the server Application exactly as the renderer writes it', () => {
    const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-docs-'));
    try {
      const { dir } = writeTenantDirectory({
        repoRoot,
        input: {
          tenant: 'acme',
          domain: 'acme.example.com',
          agent: { enabled: true },
        },
        kubernetesVersion: '1.32.5',
      });
      const [server] = yaml.loadAll(
        fs.readFileSync(path.join(dir, 'applications.yaml'), 'utf8'),
      ) as any[];
      expect(
        objects.find(o => o.metadata.name === 'clearml-acme-server'),
      ).toEqual(server);
    } finally {
      fs.rmSync(repoRoot, { recursive: true, force: true });
    }
  });
});
