/**
 * What the end-to-end test runs against: the Kubernetes API double as an
 * OpenShift cluster (the default SCCs' ClusterRoles, the documented reader
 * and granter roles), the GitHub API double with an empty GitOps repository,
 * a directory of local git targets, and the backend config that ties them
 * together as a platform team would write it.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import type { JsonObject } from '@backstage/types';
import {
  AWS_STORAGE_CLASSES_FILE,
  GithubApiDouble,
  KubernetesApiDouble,
  KubernetesPolicyRule,
  referencePath,
} from '@internal/clearml-test-utils';
import { defaultTenantDomain } from '@clearml-openshift/plugin-clearml-common';
import { TEMPLATES_DIR } from './templateFile';

const REPO = path.resolve(__dirname, '../../..');
export const READ_TOKEN = 'sha256~e2e-read-4b1f';
export const GRANT_TOKEN = 'sha256~e2e-grant-9c0d';
export const GITHUB_TOKEN = 'ghp_double';
export const CLUSTER = 'ocp-e2e';
export const APPS_DOMAIN = 'apps.ocp-e2e.example.com';
export const GITOPS = { owner: 'platform', repo: 'gitops' };
export const LOCAL_GIT_HOST = 'git.local';

function rulesOf(file: string, kind = 'ClusterRole'): KubernetesPolicyRule[] {
  const docs = yaml.loadAll(
    fs.readFileSync(path.join(REPO, file), 'utf8'),
  ) as any[];
  return docs.find(d => d?.kind === kind).rules;
}

/** Users and groups of the suites: mock (the default signed-in user) and bob in ml-team, alice in platform, mallory in none. */
export const PEOPLE = [
  group('ml-team'),
  group('platform'),
  user('mock', ['ml-team']),
  user('bob', ['ml-team']),
  user('alice', ['platform']),
  user('mallory', []),
];

function group(name: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [] },
  };
}

function user(name: string, memberOf: string[]) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf: memberOf.map(g => `group:default/${g}`) },
  };
}

export interface E2eWorld {
  kubernetes: KubernetesApiDouble;
  github: GithubApiDouble;
  workDir: string;
  localGitDir: string;
  config: JsonObject;
  close(): Promise<void>;
}

/** `kubernetesVersion`: what the cluster's GET /version reports (the charts are checked against it). */
export async function startWorld(
  options: { kubernetesVersion?: string } = {},
): Promise<E2eWorld> {
  const kubernetes = await KubernetesApiDouble.start({
    kubernetesVersion: options.kubernetesVersion,
    tokens: [
      // Exactly the roles the docs tell a platform team to bind.
      {
        name: 'reader',
        token: READ_TOKEN,
        rules: rulesOf(
          'plugins/clearml-backend/rbac/clearml-health-reader.yaml',
        ),
      },
      {
        name: 'granter',
        token: GRANT_TOKEN,
        user: 'system:serviceaccount:backstage:clearml-scc-granter',
        rules: rulesOf('docs/rbac/clearml-scc-granter.clusterrole.yaml'),
      },
    ],
  });
  for (const scc of ['anyuid', 'nonroot-v2', 'privileged']) {
    kubernetes.loadFile(
      referencePath(
        'openshift-api',
        'default-sccs',
        `0000_20_kube-apiserver-operator_00_cr-scc-${scc}.yaml`,
      ),
    );
  }
  // The StorageClasses of an OpenShift cluster on AWS (the demo cluster's): gp3-csi is the default.
  kubernetes.loadFile(AWS_STORAGE_CLASSES_FILE);
  kubernetes.clearRequests();

  const github = await GithubApiDouble.start({
    tokens: { [GITHUB_TOKEN]: 'backstage-bot' },
    webBaseUrl: 'https://github.com',
  });
  github.createRepository({ ...GITOPS, files: { 'README.md': '# GitOps\n' } });

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-e2e-'));
  const localGitDir = path.join(workDir, 'local-git');
  fs.mkdirSync(path.join(workDir, 'scaffolder'));
  // The people the suites sign in as: a tenant's owner must be an existing User or Group, the runner or their group.
  const peopleFile = path.join(workDir, 'people.yaml');
  fs.writeFileSync(peopleFile, PEOPLE.map(p => yaml.dump(p)).join('---\n'));

  const config: JsonObject = {
    backend: {
      workingDirectory: path.join(workDir, 'scaffolder'),
      // The catalog reads local targets' catalog files from the clearml backend (any port: the test backend's is random).
      reading: {
        allow: [
          {
            host: 'localhost:1024-65535',
            paths: ['/api/clearml/v1/local-git/'],
          },
        ],
      },
    },
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: github.apiBaseUrl,
          token: GITHUB_TOKEN,
        },
      ],
    },
    catalog: {
      // Templates only from the platform's own location, as app-config.yaml has it.
      rules: [
        { allow: ['Component', 'Resource', 'Location', 'User', 'Group'] },
      ],
      locations: [
        {
          type: 'file',
          target: path.join(TEMPLATES_DIR, 'all-templates.yaml'),
          rules: [{ allow: ['Location', 'Template'] }],
        },
        {
          type: 'file',
          target: peopleFile,
          rules: [{ allow: ['User', 'Group'] }],
        },
      ],
      processingInterval: { seconds: 1 },
    },
    clearml: {
      clusters: [
        {
          name: CLUSTER,
          url: kubernetes.url,
          skipTLSVerify: true,
          serviceAccountToken: READ_TOKEN,
          grantToken: GRANT_TOKEN,
          appsDomain: APPS_DOMAIN,
          requestTimeoutSeconds: 5,
        },
      ],
      // The tenants' hosts do not resolve here; the health check reads the cluster only.
      health: { probeEndpoints: false, cacheSeconds: 0 },
      gitops: {
        // Tenants come only from these repositories' tenants/<tenant>/catalog-info.yaml (and the local target).
        repositories: [`github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`],
        localTargets: [
          {
            host: LOCAL_GIT_HOST,
            baseDir: localGitDir,
            repositories: ['platform/gitops'],
          },
        ],
      },
      // The enterprise charts are private: a platform team names where they come from (the open-source ones default).
      charts: {
        'clearml-enterprise': {
          repository: 'oci://registry.example.com/clearml',
          version: '7.12.0',
        },
        'clearml-enterprise-agent': {
          repository: 'oci://registry.example.com/clearml',
          version: '5.2.0',
        },
        'clearml-enterprise-app-gateway': {
          repository: 'oci://registry.example.com/clearml',
          version: '7.12.0',
        },
      },
    },
  };

  return {
    kubernetes,
    github,
    workDir,
    localGitDir,
    config,
    async close() {
      await Promise.allSettled([kubernetes.close(), github.close()]);
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The template's directory as the template editor sends it to the dry-run endpoint (no skeleton: the steps render every file). */
export function templateDirectoryContents(): Array<{
  path: string;
  base64Content: string;
}> {
  const root = path.join(TEMPLATES_DIR, 'clearml-tenant');
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap(e =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : [path.join(dir, e.name)],
      );
  return walk(root).map(file => ({
    path: path.relative(root, file).split(path.sep).join('/'),
    base64Content: fs.readFileSync(file).toString('base64'),
  }));
}

/** What the New ClearML tenant form submits for `tenant` on the e2e cluster and GitHub repository. */
export function tenantFormValues(
  tenant: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    tenant,
    owner: 'group:default/ml-team',
    description: `ML experiments of ${tenant}`,
    cluster: CLUSTER,
    // What the form's domain field fills in from the picked cluster.
    domain: defaultTenantDomain(tenant, APPS_DOMAIN),
    edition: 'oss',
    securityProfile: 'anyuid',
    exposure: 'route',
    agent: false,
    // The form's default size tier (required since the tiers).
    tier: 'small',
    repoUrl: `github.com?owner=${GITOPS.owner}&repo=${GITOPS.repo}`,
    applyGrants: false,
    ...extra,
  };
}
