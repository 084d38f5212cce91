import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { localGitFileUrl } from '@clearml-openshift/plugin-clearml-common';
import {
  commitLocalFiles,
  ensureBareRepository,
  gitBlobId,
  LocalGitTarget,
  localRepositoryPath,
  readLocalCommit,
} from '@clearml-openshift/plugin-clearml-node';
import clearmlPlugin from '../index';

const CATALOG_INFO =
  'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: acme\n';

/** A bare repository whose branch clearml/acme holds tenants/acme/catalog-info.yaml and a values file. */
async function createGitopsRepository(baseDir: string): Promise<string> {
  const target: LocalGitTarget = {
    host: 'git.local',
    baseDir,
    defaultBranch: 'main',
    author: { name: 'Test', email: 'test@localhost' },
  };
  const gitdir = localRepositoryPath(target, 'platform', 'gitops');
  await ensureBareRepository(target, gitdir);
  const file = (name: string, text: string) => ({
    path: `tenants/acme/${name}`,
    content: Buffer.from(text),
    mode: '100644' as const,
  });
  const { commit } = await commitLocalFiles(gitdir, {
    branch: 'clearml/acme',
    expectedHead: undefined,
    parent: undefined,
    replace: [],
    files: [
      file('catalog-info.yaml', CATALOG_INFO),
      file('clearml-values.yaml', 'secret: values\n'),
    ],
    message: 'acme\n',
    author: target.author,
    where: 'git.local/platform/gitops',
  });
  return commit;
}

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('GET /api/clearml/v1/local-git/...', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;
  let commit: string;
  let baseDir: string;

  beforeAll(async () => {
    baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-local-git-'));
    commit = await createGitopsRepository(baseDir);
    backend = await startTestBackend({
      features: [
        clearmlPlugin,
        mockServices.rootConfig.factory({
          data: {
            clearml: {
              clusters: [],
              gitops: { localTargets: [{ host: 'git.local', baseDir }] },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/clearml`;
  });

  afterAll(async () => {
    await backend.stop();
    fs.rmSync(baseDir, { recursive: true, force: true });
  });

  const url = (
    overrides: Partial<{ host: string; commit: string; path: string }> = {},
  ) =>
    localGitFileUrl(baseUrl, {
      host: 'git.local',
      owner: 'platform',
      repo: 'gitops',
      commit,
      path: 'tenants/acme/catalog-info.yaml',
      ...overrides,
    });

  it("serves a tenant's catalog-info.yaml at a commit without a Backstage token, as the catalog's URL reader asks", async () => {
    const response = await fetch(url());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/yaml/);
    expect(await response.text()).toBe(CATALOG_INFO);
  });

  it('serves nothing but catalog-info.yaml files', async () => {
    const response = await fetch(
      url({ path: 'tenants/acme/clearml-values.yaml' }),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('serves only at a full commit SHA, so what the catalog reads is what the pull request proposed', async () => {
    const response = await fetch(url({ commit: 'clearml' }), {
      headers: { Authorization: mockCredentials.user.header() },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(
      /commit: must be a full 40-character commit SHA/,
    );
  });

  it('answers 404, never 500, for a SHA of another object type or a path through a file', async () => {
    const blob = await gitBlobId(Buffer.from(CATALOG_INFO));
    const read = await readLocalCommit(
      path.join(baseDir, 'platform', 'gitops.git'),
      commit,
    );
    for (const target of [
      url({ commit: blob }),
      url({ commit: read.tree }),
      url({ path: 'tenants/acme/catalog-info.yaml/catalog-info.yaml' }),
      url({ path: 'tenants/acme/clearml-values.yaml/catalog-info.yaml' }),
    ]) {
      const response = await fetch(target);
      expect({ target, status: response.status }).toEqual({
        target,
        status: 404,
      });
      expect(await response.text()).not.toContain(baseDir);
    }
    const badOwner = await fetch(
      url().replace('/platform/gitops/', '/..%2F..%2Fetc/gitops/'),
    );
    expect([400, 404]).toContain(badOwner.status);
  });

  it('answers 404 for an unknown host, repository or file', async () => {
    expect((await fetch(url({ host: 'github.com' }))).status).toBe(404);
    expect(
      (await fetch(url({ path: 'tenants/other/catalog-info.yaml' }))).status,
    ).toBe(404);
    expect((await fetch(url({ commit: '0'.repeat(40) }))).status).toBe(404);
    expect(
      (await fetch(url().replace('/platform/gitops/', '/platform/missing/')))
        .status,
    ).toBe(404);
  });
});
