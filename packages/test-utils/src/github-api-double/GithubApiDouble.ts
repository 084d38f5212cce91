/**
 * A loopback GitHub REST (and the one GraphQL query octokit-plugin-create-pull-request
 * sends) double. It serves the paths, JSON shapes, status codes and error bodies of
 * api.github.com and of GitHub Enterprise (`/api/v3`, `/api/graphql`), keeps real git
 * objects, and logs every request so tests can assert what was (or was not) sent.
 */
import { createHash } from 'crypto';
import http from 'http';
import { AddressInfo } from 'net';
import {
  CommitObject,
  FileMode,
  FlatEntry,
  GitObjectStore,
  GitPerson,
} from './gitObjects';
import { rawContents, wantsRaw } from './rawContents';

export interface GithubRecordedRequest {
  method: string;
  /** The REST path without the `/api/v3` prefix or query, e.g. `/repos/o/r/git/refs`. */
  path: string;
  query: Record<string, string>;
  body: any;
  status: number;
}

export interface PullRequestRecord {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  head: string;
  headOwner: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** When it was merged (ISO time); merged pull requests are closed. */
  mergedAt?: string;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  createdBy: string;
}

export type GithubFixtureFile = string | { content: string; mode?: FileMode };

export interface GithubFixtureRepository {
  owner: string;
  repo: string;
  defaultBranch?: string;
  /** Files of the initial commit on the default branch. */
  files?: Record<string, GithubFixtureFile>;
  /** Whether the token may push (GitHub's `permissions.push`); default true. */
  push?: boolean;
}

export interface GithubInjectedFailure {
  method?: string;
  /** Matched against the REST path (without prefix and query). */
  path: RegExp;
  status: number;
  message?: string;
  /** How many requests fail; default every one. */
  times?: number;
}

interface RepositoryState {
  id: number;
  owner: string;
  repo: string;
  defaultBranch: string;
  push: boolean;
  refs: Map<string, string>;
}

const DOCS = 'https://docs.github.com/rest';
const SYSTEM: GitPerson = {
  name: 'GitHub',
  email: 'noreply@github.com',
  date: '2024-01-01T00:00:00Z',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(404, 'Not Found');
const validation = (message: string, extra: Record<string, unknown> = {}) =>
  new HttpError(422, message, extra);

export class GithubApiDouble {
  readonly requests: GithubRecordedRequest[] = [];
  private readonly store = new GitObjectStore();
  private readonly repos = new Map<string, RepositoryState>();
  private readonly pulls: PullRequestRecord[] = [];
  private readonly failures: GithubInjectedFailure[] = [];
  private nextId = 1;
  /** GitHub truncates recursive trees (at 100,000 entries); lower it to test callers' fallback. */
  maxTreeEntries = 100_000;

  private constructor(
    private readonly server: http.Server,
    private readonly tokens: Map<string, string>,
    private readonly webBaseUrl: string,
  ) {}

  /**
   * Starts the double on 127.0.0.1 on a free port.
   * `tokens` maps an accepted token to the login it authenticates (default `{ 'ghp_double': 'backstage-bot' }`).
   */
  static async start(
    options: { tokens?: Record<string, string>; webBaseUrl?: string } = {},
  ): Promise<GithubApiDouble> {
    const server = http.createServer();
    const double = new GithubApiDouble(
      server,
      new Map(
        Object.entries(options.tokens ?? { ghp_double: 'backstage-bot' }),
      ),
      options.webBaseUrl ?? 'https://github.test',
    );
    server.on('request', (req, res) => double.handle(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The REST base URL GitHub Enterprise uses, for `integrations.github[].apiBaseUrl`. */
  get apiBaseUrl(): string {
    return `${this.url}/api/v3`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server.close(e => (e ? reject(e) : resolve())),
    );
  }

  /** Creates a repository whose default branch holds one commit with `files`. */
  createRepository(repository: GithubFixtureRepository): void {
    const defaultBranch = repository.defaultBranch ?? 'main';
    const commit = this.store.writeInitialCommit(
      repository.files ?? { 'README.md': '# GitOps\n' },
      SYSTEM,
    );
    this.repos.set(`${repository.owner}/${repository.repo}`, {
      id: this.nextId++,
      owner: repository.owner,
      repo: repository.repo,
      defaultBranch,
      push: repository.push ?? true,
      refs: new Map([[`refs/heads/${defaultBranch}`, commit.sha]]),
    });
  }

  /** Makes matching requests fail with GitHub's error body. */
  failOn(failure: GithubInjectedFailure): void {
    this.failures.push({ ...failure });
  }

  /** Requests that changed something (anything but GET and HEAD). */
  get writes(): GithubRecordedRequest[] {
    return this.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD');
  }

  /** The commit a branch points at, or undefined. */
  branchHead(
    owner: string,
    repo: string,
    branch: string,
  ): CommitObject | undefined {
    const sha = this.repository(owner, repo).refs.get(`refs/heads/${branch}`);
    return sha ? this.store.commits.get(sha) : undefined;
  }

  /** Every file of a branch (or commit), with its text and mode. */
  filesAt(
    owner: string,
    repo: string,
    refOrSha: string,
  ): Record<string, { content: string; mode: FileMode }> {
    const commit = this.resolveCommit(this.repository(owner, repo), refOrSha);
    if (!commit)
      throw new Error(`no branch or commit ${refOrSha} in ${owner}/${repo}`);
    const result: Record<string, { content: string; mode: FileMode }> = {};
    for (const [path, file] of this.store.flatten(commit.tree)) {
      result[path] = {
        content: this.store.blobs.get(file.sha)!.toString('utf8'),
        mode: file.mode,
      };
    }
    return result;
  }

  /** Paths a commit adds, changes or deletes relative to its first parent. */
  changedPaths(commitSha: string): string[] {
    const commit = this.store.commits.get(commitSha);
    if (!commit) throw new Error(`no commit ${commitSha}`);
    const after = this.store.flatten(commit.tree);
    const parent = commit.parents[0]
      ? this.store.commits.get(commit.parents[0])
      : undefined;
    const before = parent
      ? this.store.flatten(parent.tree)
      : new Map<string, FlatEntry>();
    const paths = new Set([...after.keys(), ...before.keys()]);
    return [...paths]
      .filter(
        p =>
          after.get(p)?.sha !== before.get(p)?.sha ||
          after.get(p)?.mode !== before.get(p)?.mode,
      )
      .sort();
  }

  commit(sha: string): CommitObject | undefined {
    return this.store.commits.get(sha);
  }

  /** Merges a pull request as a reviewer would: its base branch moves to the head commit, and it is closed as merged. */
  mergePullRequest(owner: string, repo: string, number: number): void {
    const state = this.repository(owner, repo);
    const pull = this.findPull(state, number);
    const head = (
      this.repos.get(`${pull.headOwner}/${pull.repo}`) ?? state
    ).refs.get(`refs/heads/${pull.head}`);
    if (head) state.refs.set(`refs/heads/${pull.base}`, head);
    pull.state = 'closed';
    pull.mergedAt = new Date().toISOString();
  }

  pullRequests(owner: string, repo: string): PullRequestRecord[] {
    return this.pulls.filter(p => p.owner === owner && p.repo === repo);
  }

  // --- HTTP --------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      // Octokit encodes '/' inside {ref} and {path}; GitHub reads both forms the same, and so does the log.
      const path = decodeURIComponent(url.pathname)
        .replace(/^\/api\/v3(?=\/)/, '')
        .replace(/^\/api(?=\/graphql$)/, '');
      const query = Object.fromEntries(url.searchParams);
      const method = req.method ?? 'GET';
      let body: any;
      try {
        body = chunks.length
          ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
          : undefined;
      } catch {
        body = undefined;
      }
      const record: GithubRecordedRequest = {
        method,
        path,
        query,
        body,
        status: 0,
      };
      this.requests.push(record);
      const send = (
        status: number,
        payload: unknown,
        headers: Record<string, string> = {},
      ) => {
        record.status = status;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          ...headers,
        });
        res.end(
          method === 'HEAD' || payload === undefined
            ? undefined
            : JSON.stringify(payload),
        );
      };
      try {
        const login = this.authenticate(req.headers.authorization);
        const failure = this.failures.find(
          f =>
            (!f.method || f.method === method) &&
            f.path.test(path) &&
            (f.times ?? Infinity) > 0,
        );
        if (failure) {
          failure.times = (failure.times ?? Infinity) - 1;
          throw new HttpError(
            failure.status,
            failure.message ?? http.STATUS_CODES[failure.status] ?? 'Error',
          );
        }
        const [status, payload] = this.route(
          method,
          path,
          query,
          body ?? {},
          login,
        );
        const raw =
          /^\/repos\/[^/]+\/[^/]+\/contents\//.test(path) &&
          wantsRaw(req.headers.accept)
            ? rawContents(payload)
            : undefined;
        if (raw) {
          record.status = status;
          res.writeHead(status, { 'x-oauth-scopes': 'repo', ...raw.headers });
          res.end(method === 'HEAD' ? undefined : raw.body);
          return;
        }
        // The pulls list answers with an ETag and honours If-None-Match as GitHub does (304, no body: a conditional
        // request that does not count against the rate limit).
        const etag =
          method === 'GET' &&
          status === 200 &&
          /^\/repos\/[^/]+\/[^/]+\/pulls$/.test(path)
            ? `W/"${createHash('sha1').update(JSON.stringify(payload)).digest('hex')}"`
            : undefined;
        if (etag && req.headers['if-none-match'] === etag) {
          record.status = 304;
          res.writeHead(304, { etag, 'x-oauth-scopes': 'repo' });
          res.end();
          return;
        }
        send(status, payload, {
          'x-oauth-scopes': 'repo',
          'x-github-media-type': 'github.v3; format=json',
          ...(etag ? { etag } : {}),
        });
      } catch (error) {
        if (error instanceof HttpError) {
          send(error.status, {
            message: error.message,
            ...error.extra,
            documentation_url: DOCS,
            status: String(error.status),
          });
        } else {
          send(500, {
            message: `double: ${error}`,
            documentation_url: DOCS,
            status: '500',
          });
        }
      }
    });
  }

  private authenticate(header: string | undefined): string {
    const token = header?.match(/^(?:token|bearer)\s+(.+)$/i)?.[1];
    const login = token ? this.tokens.get(token) : undefined;
    if (!login) {
      // GitHub answers 401 for a missing token on private repositories and for a bad one.
      throw new HttpError(
        401,
        header ? 'Bad credentials' : 'Requires authentication',
      );
    }
    return login;
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: any,
    login: string,
  ): [number, unknown] {
    if (path === '/graphql' && method === 'POST')
      return [200, this.graphql(body)];
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'repos' || segments.length < 3) throw notFound();
    const repo = this.repository(segments[1], segments[2]);
    const [resource, ...rest] = segments.slice(3);
    const restPath = rest.join('/');
    const key = `${method} ${resource ?? ''}${rest[0] ? `/${rest[0]}` : ''}`;

    if (resource === undefined && method === 'GET')
      return [200, this.repositoryJson(repo)];
    if (key === 'GET commits') return [200, this.listCommits(repo, query)];
    if (resource === 'contents' && (method === 'GET' || method === 'HEAD')) {
      return [200, this.contents(repo, restPath, query.ref)];
    }
    if (resource === 'git') return this.gitData(method, repo, rest, body);
    if (key === 'POST pulls') return [201, this.createPull(repo, body, login)];
    if (key === 'GET pulls') return [200, this.listPulls(repo, query)];
    if (resource === 'pulls' && rest.length === 1) {
      const pull = this.findPull(repo, Number(rest[0]));
      if (method === 'GET') return [200, this.pullJson(pull)];
      if (method === 'PATCH') return [200, this.updatePull(pull, body)];
    }
    if (
      resource === 'pulls' &&
      rest[1] === 'requested_reviewers' &&
      method === 'POST'
    ) {
      const pull = this.findPull(repo, Number(rest[0]));
      if (body.reviewers?.includes(pull.createdBy)) {
        throw validation(
          'Review cannot be requested from pull request author.',
        );
      }
      pull.requestedReviewers = [
        ...new Set([...pull.requestedReviewers, ...(body.reviewers ?? [])]),
      ];
      pull.requestedTeams = [
        ...new Set([...pull.requestedTeams, ...(body.team_reviewers ?? [])]),
      ];
      return [201, this.pullJson(pull)];
    }
    if (resource === 'issues' && rest[1] === 'labels' && method === 'POST') {
      const pull = this.findPull(repo, Number(rest[0]));
      if (!Array.isArray(body.labels))
        throw validation('Invalid request.\n\n"labels" wasn\'t supplied.');
      pull.labels = [...new Set([...pull.labels, ...body.labels])];
      return [
        200,
        pull.labels.map((name, i) => ({
          id: i + 1,
          name,
          color: 'ededed',
          default: false,
        })),
      ];
    }
    throw notFound();
  }

  private gitData(
    method: string,
    repo: RepositoryState,
    rest: string[],
    body: any,
  ): [number, unknown] {
    const [kind, ...tail] = rest;
    const refName = tail.join('/');
    if (kind === 'ref' && method === 'GET') {
      const sha = repo.refs.get(`refs/${refName}`);
      if (!sha) throw notFound();
      return [200, this.refJson(repo, `refs/${refName}`, sha)];
    }
    if (kind === 'refs' && method === 'POST' && tail.length === 0) {
      if (
        typeof body.ref !== 'string' ||
        !body.ref.startsWith('refs/') ||
        body.ref.split('/').length < 3
      ) {
        throw validation(
          "Reference name must start with 'refs/' and have at least two slashes.",
        );
      }
      if (repo.refs.has(body.ref)) throw validation('Reference already exists');
      if (!this.store.commits.has(body.sha))
        throw validation('Object does not exist');
      repo.refs.set(body.ref, body.sha);
      return [201, this.refJson(repo, body.ref, body.sha)];
    }
    if (kind === 'refs' && method === 'PATCH') {
      const name = `refs/${refName}`;
      const current = repo.refs.get(name);
      if (!current) throw validation('Reference does not exist');
      if (!this.store.commits.has(body.sha))
        throw validation('Object does not exist');
      if (!body.force && !this.isAncestor(current, body.sha))
        throw validation('Update is not a fast forward');
      repo.refs.set(name, body.sha);
      return [200, this.refJson(repo, name, body.sha)];
    }
    if (kind === 'blobs' && method === 'POST') {
      if (typeof body.content !== 'string')
        throw validation('Invalid request.\n\n"content" wasn\'t supplied.');
      const sha = this.store.writeBlob(
        Buffer.from(
          body.content,
          body.encoding === 'base64' ? 'base64' : 'utf8',
        ),
      );
      return [201, { sha, url: this.apiUrl(repo, `git/blobs/${sha}`) }];
    }
    if (kind === 'blobs' && method === 'GET' && tail.length === 1) {
      // GitHub's answer: the bytes base64-encoded, wrapped at 60 characters as GitHub wraps them.
      const content = this.store.blobs.get(tail[0]);
      if (!content) throw notFound();
      return [
        200,
        {
          sha: tail[0],
          node_id: `BLOB_${tail[0]}`,
          size: content.length,
          url: this.apiUrl(repo, `git/blobs/${tail[0]}`),
          content: (content.toString('base64').match(/.{1,60}/g) ?? []).join(
            '\n',
          ),
          encoding: 'base64',
        },
      ];
    }
    if (kind === 'trees' && method === 'POST')
      return [201, this.createTree(repo, body)];
    if (kind === 'trees' && method === 'GET')
      return [200, this.getTree(repo, refName)];
    if (kind === 'commits' && method === 'POST')
      return [201, this.createCommit(repo, body)];
    throw notFound();
  }

  private graphql(body: any): unknown {
    const text = String(body.query ?? '');
    if (!/associatedPullRequests/.test(text)) {
      return {
        errors: [
          {
            message:
              'The GitHub API double answers only the associatedPullRequests query',
          },
        ],
      };
    }
    const { owner, repo: name, head } = body.variables ?? {};
    const repo = this.repos.get(`${owner}/${name}`);
    if (!repo) {
      return {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          },
        ],
      };
    }
    const qualified = String(head).startsWith('refs/')
      ? head
      : `refs/heads/${head}`;
    if (!repo.refs.has(qualified))
      return { data: { repository: { ref: null } } };
    const open = this.pulls.filter(
      p =>
        p.headOwner === owner &&
        p.repo === name &&
        `refs/heads/${p.head}` === qualified &&
        p.state === 'open',
    );
    return {
      data: {
        repository: {
          ref: {
            associatedPullRequests: {
              edges: open.slice(0, 1).map(p => ({
                node: {
                  id: `PR_${p.number}`,
                  number: p.number,
                  url: this.pullHtmlUrl(p),
                },
              })),
            },
          },
        },
      },
    };
  }

  // --- resources ---------------------------------------------------------

  private repository(owner: string, repo: string): RepositoryState {
    const state = this.repos.get(`${owner}/${repo}`);
    if (!state) throw notFound();
    return state;
  }

  private apiUrl(repo: RepositoryState, rest: string): string {
    return `${this.apiBaseUrl}/repos/${repo.owner}/${repo.repo}/${rest}`;
  }

  private repositoryJson(repo: RepositoryState) {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      owner: { login: repo.owner, type: 'Organization' },
      private: true,
      html_url: `${this.webBaseUrl}/${repo.owner}/${repo.repo}`,
      clone_url: `${this.webBaseUrl}/${repo.owner}/${repo.repo}.git`,
      url: `${this.apiBaseUrl}/repos/${repo.owner}/${repo.repo}`,
      default_branch: repo.defaultBranch,
      permissions: {
        admin: false,
        maintain: false,
        push: repo.push,
        triage: true,
        pull: true,
      },
    };
  }

  private resolveCommit(
    repo: RepositoryState,
    refOrSha: string,
  ): CommitObject | undefined {
    const sha =
      repo.refs.get(`refs/heads/${refOrSha}`) ??
      repo.refs.get(refOrSha) ??
      refOrSha;
    return this.store.commits.get(sha);
  }

  private commitJson(repo: RepositoryState, commit: CommitObject) {
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha}`,
      url: this.apiUrl(repo, `git/commits/${commit.sha}`),
      html_url: `${this.webBaseUrl}/${repo.owner}/${repo.repo}/commit/${commit.sha}`,
      message: commit.message,
      tree: {
        sha: commit.tree,
        url: this.apiUrl(repo, `git/trees/${commit.tree}`),
      },
      parents: commit.parents.map(sha => ({
        sha,
        url: this.apiUrl(repo, `git/commits/${sha}`),
      })),
      author: commit.author,
      committer: commit.committer,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
      },
    };
  }

  private listCommits(repo: RepositoryState, query: Record<string, string>) {
    const start = this.resolveCommit(repo, query.sha ?? repo.defaultBranch);
    if (!start)
      throw new HttpError(404, `No commit found for SHA: ${query.sha}`);
    const perPage = Number(query.per_page ?? 30);
    const result = [];
    for (
      let c: CommitObject | undefined = start;
      c && result.length < perPage;
      c = this.store.commits.get(c.parents[0])
    ) {
      result.push({
        sha: c.sha,
        commit: this.commitJson(repo, c),
        parents: c.parents.map(sha => ({ sha })),
      });
    }
    return result;
  }

  private contents(repo: RepositoryState, path: string, ref?: string) {
    const commit = this.resolveCommit(repo, ref ?? repo.defaultBranch);
    if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const entry = path
      ? this.store.lookup(commit.tree, path)
      : { type: 'tree' as const, sha: commit.tree, name: '' };
    if (!entry) throw notFound();
    const item = (
      name: string,
      p: string,
      e: { type: string; sha: string },
    ) => ({
      type: e.type === 'tree' ? 'dir' : 'file',
      name,
      path: p,
      sha: e.sha,
      size: e.type === 'blob' ? this.store.blobs.get(e.sha)!.length : 0,
      url: this.apiUrl(repo, `contents/${p}`),
    });
    if (entry.type === 'tree') {
      return (this.store.trees.get(entry.sha) ?? []).map(e =>
        item(e.name, path ? `${path}/${e.name}` : e.name, e),
      );
    }
    const content = this.store.blobs.get(entry.sha)!;
    return {
      ...item(entry.name, path, entry),
      encoding: 'base64',
      content: content.toString('base64'),
    };
  }

  private refJson(repo: RepositoryState, ref: string, sha: string) {
    return {
      ref,
      node_id: `REF_${sha}`,
      url: this.apiUrl(repo, `git/${ref}`),
      object: {
        type: 'commit',
        sha,
        url: this.apiUrl(repo, `git/commits/${sha}`),
      },
    };
  }

  private isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length) {
      const sha = queue.shift()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.store.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  private createTree(repo: RepositoryState, body: any) {
    if (!Array.isArray(body.tree)) throw validation('Invalid tree info');
    let files = new Map<string, FlatEntry>();
    if (body.base_tree) {
      if (!this.store.trees.has(body.base_tree))
        throw validation('Invalid tree info');
      files = this.store.flatten(body.base_tree);
    }
    for (const entry of body.tree) {
      if (
        typeof entry.path !== 'string' ||
        entry.path.startsWith('/') ||
        entry.path.split('/').includes('..')
      ) {
        throw validation('Invalid tree info');
      }
      if (
        !['100644', '100755', '040000', '160000', '120000'].includes(entry.mode)
      ) {
        throw validation(
          `Must supply a valid tree.mode (got ${JSON.stringify(entry.mode)})`,
        );
      }
      if (entry.sha === null) {
        if (!files.has(entry.path)) throw validation('GitRPC::BadObjectState');
        files.delete(entry.path);
      } else if (typeof entry.content === 'string') {
        files.set(entry.path, {
          mode: entry.mode,
          sha: this.store.writeBlob(Buffer.from(entry.content, 'utf8')),
        });
      } else if (
        typeof entry.sha === 'string' &&
        this.store.blobs.has(entry.sha)
      ) {
        files.set(entry.path, { mode: entry.mode, sha: entry.sha });
      } else {
        throw validation('Invalid tree info');
      }
    }
    const sha = this.store.buildTree(files);
    return {
      sha,
      url: this.apiUrl(repo, `git/trees/${sha}`),
      tree: this.treeJson(sha, false),
      truncated: false,
    };
  }

  private treeJson(sha: string, recursive: boolean, prefix = ''): unknown[] {
    return (this.store.trees.get(sha) ?? []).flatMap(e => {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      const self = {
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === 'blob'
          ? { size: this.store.blobs.get(e.sha)!.length }
          : {}),
      };
      return recursive && e.type === 'tree'
        ? [self, ...this.treeJson(e.sha, true, path)]
        : [self];
    });
  }

  private getTree(repo: RepositoryState, refOrSha: string) {
    const sha = this.store.trees.has(refOrSha)
      ? refOrSha
      : this.resolveCommit(repo, refOrSha)?.tree;
    if (!sha) throw notFound();
    const entries = this.treeJson(sha, true);
    return {
      sha,
      url: this.apiUrl(repo, `git/trees/${sha}`),
      tree: entries.slice(0, this.maxTreeEntries),
      truncated: entries.length > this.maxTreeEntries,
    };
  }

  private createCommit(repo: RepositoryState, body: any) {
    if (typeof body.message !== 'string')
      throw validation('Invalid request.\n\n"message" wasn\'t supplied.');
    if (!this.store.trees.has(body.tree))
      throw validation('Tree SHA does not exist');
    const parents: string[] = body.parents ?? [];
    if (parents.some(p => !this.store.commits.has(p)))
      throw validation('Parent SHA does not exist or is not a commit object');
    const now = new Date().toISOString();
    const author = {
      name: 'Backstage',
      email: 'backstage@example.test',
      date: now,
      ...(body.author ?? {}),
    };
    const commit = this.store.writeCommit({
      message: body.message,
      tree: body.tree,
      parents,
      author,
      committer: { ...author, ...(body.committer ?? {}) },
    });
    return this.commitJson(repo, commit);
  }

  private createPull(repo: RepositoryState, body: any, login: string) {
    const [headOwner, head] = String(body.head ?? '').includes(':')
      ? String(body.head).split(/:(.*)/s, 2)
      : [repo.owner, String(body.head ?? '')];
    const base = body.base ?? repo.defaultBranch;
    if (!body.title)
      throw validation('Validation Failed', {
        errors: [
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ],
      });
    const headRepo = this.repos.get(`${headOwner}/${repo.repo}`);
    const headSha = headRepo?.refs.get(`refs/heads/${head}`);
    const baseSha = repo.refs.get(`refs/heads/${base}`);
    if (!headSha || !baseSha) {
      throw validation('Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            field: headSha ? 'base' : 'head',
            code: 'invalid',
          },
        ],
      });
    }
    if (
      this.pulls.some(
        p =>
          p.repo === repo.repo &&
          p.owner === repo.owner &&
          p.head === head &&
          p.headOwner === headOwner &&
          p.base === base &&
          p.state === 'open',
      )
    ) {
      throw validation('Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${headOwner}:${head}.`,
          },
        ],
      });
    }
    if (headSha === baseSha) {
      throw validation('Validation Failed', {
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${base} and ${head}`,
          },
        ],
      });
    }
    const pull: PullRequestRecord = {
      number: this.nextId++,
      owner: repo.owner,
      repo: repo.repo,
      title: body.title,
      body: body.body ?? '',
      head,
      headOwner,
      base,
      draft: !!body.draft,
      state: 'open',
      labels: [],
      requestedReviewers: [],
      requestedTeams: [],
      createdBy: login,
    };
    this.pulls.push(pull);
    return this.pullJson(pull);
  }

  private listPulls(repo: RepositoryState, query: Record<string, string>) {
    const state = query.state ?? 'open';
    return this.pulls
      .filter(p => p.owner === repo.owner && p.repo === repo.repo)
      .filter(p => state === 'all' || p.state === state)
      .filter(p => !query.head || query.head === `${p.headOwner}:${p.head}`)
      .filter(p => !query.base || query.base === p.base)
      .map(p => this.pullJson(p));
  }

  private findPull(repo: RepositoryState, number: number): PullRequestRecord {
    const pull = this.pulls.find(
      p =>
        p.owner === repo.owner && p.repo === repo.repo && p.number === number,
    );
    if (!pull) throw notFound();
    return pull;
  }

  private updatePull(pull: PullRequestRecord, body: any) {
    if (body.title !== undefined) pull.title = body.title;
    if (body.body !== undefined) pull.body = body.body;
    if (body.base !== undefined) pull.base = body.base;
    if (body.state === 'open' || body.state === 'closed')
      pull.state = body.state;
    return this.pullJson(pull);
  }

  private pullHtmlUrl(pull: PullRequestRecord): string {
    return `${this.webBaseUrl}/${pull.owner}/${pull.repo}/pull/${pull.number}`;
  }

  private pullJson(pull: PullRequestRecord) {
    const repo = this.repository(pull.owner, pull.repo);
    const headRepo = this.repos.get(`${pull.headOwner}/${pull.repo}`) ?? repo;
    return {
      id: pull.number * 1000,
      node_id: `PR_${pull.number}`,
      number: pull.number,
      html_url: this.pullHtmlUrl(pull),
      url: this.apiUrl(repo, `pulls/${pull.number}`),
      state: pull.state,
      merged: Boolean(pull.mergedAt),
      merged_at: pull.mergedAt ?? null,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      user: { login: pull.createdBy },
      labels: pull.labels.map((name, i) => ({ id: i + 1, name })),
      requested_reviewers: pull.requestedReviewers.map(login => ({ login })),
      requested_teams: pull.requestedTeams.map(slug => ({ slug, name: slug })),
      head: {
        label: `${pull.headOwner}:${pull.head}`,
        ref: pull.head,
        sha: headRepo.refs.get(`refs/heads/${pull.head}`) ?? null,
        repo: this.repositoryJson(headRepo),
      },
      base: {
        label: `${pull.owner}:${pull.base}`,
        ref: pull.base,
        sha: repo.refs.get(`refs/heads/${pull.base}`) ?? null,
        repo: this.repositoryJson(repo),
      },
    };
  }
}
