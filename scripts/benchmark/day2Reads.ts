/**
 * What the lifecycle costs the GitOps host per fleet sweep: `n` tenants whose entities name their pull request on a
 * GitHub host (the GitHub API double over loopback, through Backstage's GitHub integration and octokit), each
 * created by a merged pull request, one in five with a change pull request open, one in ten still in review.
 * Counts the double's requests per sweep (report cache off: every sweep is one cache period), how many GitHub
 * answered 304 to the conditional request (nothing changed: no rate limit spent), and times the sweep.
 */
import { Octokit } from 'octokit';
import {
  CLEARML_ANNOTATIONS,
  FleetResponse,
  tenantChangeBranchName,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlServerDouble,
  GithubApiDouble,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import { headers, Row, startBackend } from './measure';
import { entity } from './objects';

const TOKEN = 'ghp_benchmark';
const REPO = { owner: 'platform', repo: 'gitops' };

async function openPull(octokit: Octokit, branch: string): Promise<number> {
  const main = await octokit.rest.git.getRef({ ...REPO, ref: 'heads/main' });
  const parent = main.data.object.sha;
  const base = await octokit.rest.git.getTree({ ...REPO, tree_sha: parent });
  const tree = await octokit.rest.git.createTree({
    ...REPO,
    base_tree: base.data.sha,
    tree: [
      {
        path: `tenants/${branch.replace(/\//g, '-')}/values.yaml`,
        mode: '100644',
        type: 'blob',
        content: 'clearml: {}\n',
      },
    ],
  });
  const commit = await octokit.rest.git.createCommit({
    ...REPO,
    message: branch,
    tree: tree.data.sha,
    parents: [parent],
  });
  await octokit.rest.git.createRef({
    ...REPO,
    ref: `refs/heads/${branch}`,
    sha: commit.data.sha,
  });
  const pull = await octokit.rest.pulls.create({
    ...REPO,
    head: branch,
    base: 'main',
    title: branch,
  });
  return pull.data.number;
}

export async function day2ReadScenarios(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  n: number,
): Promise<Row[]> {
  const github = await GithubApiDouble.start({
    tokens: { [TOKEN]: 'backstage-bot' },
  });
  github.createRepository({ ...REPO, files: { 'README.md': '# GitOps\n' } });
  const octokit = new Octokit({
    baseUrl: github.apiBaseUrl,
    auth: TOKEN,
    throttle: { enabled: false },
  });
  let inReview = 0;
  let changes = 0;
  for (let i = 0; i < n; i++) {
    const number = await openPull(octokit, `clearml/t${i}`);
    if (i % 10 === 9) {
      inReview++;
      continue;
    }
    github.mergePullRequest(REPO.owner, REPO.repo, number);
    if (i % 5 === 0) {
      await openPull(octokit, tenantChangeBranchName(`t${i}`));
      changes++;
    }
  }
  const entities = Array.from({ length: n }, (_, i) => {
    const e = entity(i);
    return {
      ...e,
      metadata: {
        ...e.metadata,
        annotations: {
          ...e.metadata.annotations,
          [CLEARML_ANNOTATIONS.gitopsRepo]:
            'github.com?owner=platform&repo=gitops',
          [CLEARML_ANNOTATIONS.gitopsBranch]: `clearml/t${i}`,
        },
      },
    };
  });
  const backend = await startBackend(
    kube,
    clearml,
    entities,
    { cacheSeconds: 0, sharedView: true, watchSeconds: 300 },
    {
      features: [],
      config: {
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: github.apiBaseUrl, token: TOKEN },
          ],
        },
      },
    },
  );
  const rows: Row[] = [];
  try {
    const sweep = async () => {
      github.requests.length = 0;
      const started = Date.now();
      const res = await fetch(`${backend.url}/v1/tenants`, { headers });
      const body = (await res.json()) as FleetResponse;
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const stages = new Map<string, number>();
      for (const t of body.items)
        stages.set(t.stage ?? '-', (stages.get(t.stage ?? '-') ?? 0) + 1);
      return {
        ms: Date.now() - started,
        requests: github.requests.length,
        notModified: github.requests.filter(r => r.status === 304).length,
        stages: [...stages].map(([s, c]) => `${s} ${c}`).join(', '),
      };
    };
    const first = await sweep(); // the view comes up
    const measured = await sweep();
    rows.push([
      `lifecycle reads of a sweep of ${n} tenants (GET /v1/tenants, shared view, report cache off): ${n - inReview} created by a merged pull request (${changes} of them with a change pull request open), ${inReview} in review`,
      `${measured.requests} GitHub requests (${(measured.requests / n).toFixed(2)} per tenant), ${measured.notModified} of them answered 304 to the conditional request (no rate limit; first sweep: ${first.notModified} of ${first.requests}), ${measured.ms} ms; stages: ${measured.stages}`,
    ]);
  } finally {
    await backend.stop();
    await github.close();
  }
  return rows;
}
