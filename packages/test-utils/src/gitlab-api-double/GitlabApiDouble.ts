/**
 * A loopback GitLab REST API v4 double: the project, branch, repository tree,
 * file, commit (with actions), merge request, protected branch, user and
 * token-self endpoints that `@gitbeaker/rest` and Backstage's GitLab URL reader
 * call, with GitLab's paths (project ids as numbers or URL-encoded full paths),
 * JSON shapes, pagination headers, status codes and error bodies. It keeps real
 * git objects (SHAs `git` agrees with), checks token scopes and member roles as
 * GitLab does, and logs every request so tests can assert what was (or was not)
 * sent. One file: the resources share the project state and the router.
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
} from '../github-api-double/gitObjects';
import {
  badRequest,
  conflict,
  forbidden,
  GitlabHttpError,
  insufficientScope,
  missingParameter,
  notFound,
  unauthorized,
} from './gitlabErrors';
import { paginate } from './gitlabPaging';

/** GitLab's role levels (`Gitlab::Access`). */
export const GITLAB_ACCESS = {
  noAccess: 0,
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export interface GitlabTokenFixture {
  username: string;
  /** Token scopes (default `['api']`). REST reads need `api` or `read_api`; writes need `api`. */
  scopes?: string[];
  /** An expired or revoked token is refused with 401 like an unknown one. */
  active?: boolean;
}

export interface GitlabProtectedBranchFixture {
  /** A branch name or a wildcard such as `release/*`. */
  name: string;
  /** Who may push (default maintainers, 40; 0 is "No one"). */
  pushAccessLevel?: number;
  /** Who may merge (default maintainers, 40). */
  mergeAccessLevel?: number;
}

export interface GitlabFixtureProject {
  /** Full path, `group/subgroup/project`. */
  path: string;
  defaultBranch?: string;
  /** Files of the initial commit on the default branch (default a README). */
  files?: Record<string, string | { content: string; mode?: FileMode }>;
  /** Each member's role (`GITLAB_ACCESS`); default every token's user is a developer. */
  members?: Record<string, number>;
  /** Default: the default branch, as GitLab protects it on creation (maintainers push and merge). */
  protectedBranches?: Array<string | GitlabProtectedBranchFixture>;
}

export interface GitlabRecordedRequest {
  method: string;
  /** The path below `/api/v4`, with each segment decoded (a project's full path shows with its slashes). */
  path: string;
  query: Record<string, string>;
  body: any;
  status: number;
}

export interface GitlabInjectedFailure {
  method?: string;
  /** Matched against the recorded (decoded) path. */
  path: RegExp;
  status: number;
  message?: string;
  /** How many requests fail; default every one. */
  times?: number;
}

export interface MergeRequestRecord {
  id: number;
  iid: number;
  projectPath: string;
  title: string;
  description: string;
  sourceBranch: string;
  targetBranch: string;
  state: 'opened' | 'closed' | 'merged';
  labels: string[];
  reviewerIds: number[];
  removeSourceBranch: boolean;
  author: string;
  createdAt: string;
  mergedAt?: string;
  closedAt?: string;
  mergeCommitSha?: string;
}

interface ProjectState {
  id: number;
  path: string;
  defaultBranch: string;
  members: Map<string, number>;
  protectedBranches: Required<GitlabProtectedBranchFixture>[];
  refs: Map<string, string>;
  nextIid: number;
}

interface Caller {
  username: string;
  scopes: string[];
}

const SYSTEM: GitPerson = {
  name: 'Administrator',
  email: 'admin@example.test',
  date: '2024-01-01T00:00:00Z',
};

/** `release/*` matches `release/1.0` (GitLab's wildcard protection). */
function matchesProtection(pattern: string, branch: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(branch);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isValidFilePath(path: unknown): path is string {
  return (
    typeof path === 'string' &&
    path !== '' &&
    !path.startsWith('/') &&
    !path.split('/').some(s => s === '' || s === '.' || s === '..')
  );
}

export class GitlabApiDouble {
  readonly requests: GitlabRecordedRequest[] = [];
  private readonly store = new GitObjectStore();
  private readonly projects = new Map<string, ProjectState>();
  private readonly mrs: MergeRequestRecord[] = [];
  private readonly failures: GitlabInjectedFailure[] = [];
  private readonly users = new Map<string, number>();
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    private readonly tokens: Map<string, Required<GitlabTokenFixture>>,
    private readonly webBase: string | undefined,
  ) {
    for (const t of tokens.values()) this.userId(t.username);
  }

  /**
   * Starts the double on 127.0.0.1 on a free port. `tokens` maps an accepted token to its user and scopes (default
   * `{ 'glpat-double': { username: 'backstage-bot', scopes: ['api'] } }`). `webBaseUrl` is the web address in
   * `web_url`s (default the double's own URL, as on a self-managed GitLab the API and the web share an origin).
   */
  static async start(
    options: {
      tokens?: Record<string, GitlabTokenFixture>;
      webBaseUrl?: string;
    } = {},
  ): Promise<GitlabApiDouble> {
    const server = http.createServer();
    const tokens = new Map(
      Object.entries(
        options.tokens ?? { 'glpat-double': { username: 'backstage-bot' } },
      ).map(([token, t]) => [
        token,
        { scopes: ['api'], active: true, ...t } as Required<GitlabTokenFixture>,
      ]),
    );
    const double = new GitlabApiDouble(server, tokens, options.webBaseUrl);
    server.on('request', (req, res) => double.handle(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  /** `http://127.0.0.1:<port>`: the instance's base URL (`integrations.gitlab[].baseUrl`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `127.0.0.1:<port>`: the instance's host (`integrations.gitlab[].host`). */
  get host(): string {
    return new URL(this.url).host;
  }

  /** `<url>/api/v4` (`integrations.gitlab[].apiBaseUrl`). */
  get apiBaseUrl(): string {
    return `${this.url}/api/v4`;
  }

  get webBaseUrl(): string {
    return this.webBase ?? this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server.close(e => (e ? reject(e) : resolve())),
    );
  }

  // --- fixtures and inspection -------------------------------------------

  /** Creates a project whose default branch holds one commit with `files`. */
  createProject(project: GitlabFixtureProject): void {
    const defaultBranch = project.defaultBranch ?? 'main';
    const commit = this.store.writeInitialCommit(
      project.files ?? { 'README.md': '# GitOps\n' },
      SYSTEM,
    );
    const members = new Map(
      Object.entries(
        project.members ??
          Object.fromEntries(
            [...this.tokens.values()].map(t => [
              t.username,
              GITLAB_ACCESS.developer,
            ]),
          ),
      ),
    );
    for (const name of members.keys()) this.userId(name);
    this.projects.set(project.path.toLowerCase(), {
      id: this.nextId++,
      path: project.path,
      defaultBranch,
      members,
      protectedBranches: (project.protectedBranches ?? [defaultBranch]).map(
        p => ({
          pushAccessLevel: GITLAB_ACCESS.maintainer,
          mergeAccessLevel: GITLAB_ACCESS.maintainer,
          ...(typeof p === 'string' ? { name: p } : p),
        }),
      ),
      refs: new Map([[defaultBranch, commit.sha]]),
      nextIid: 1,
    });
  }

  /** Makes matching requests fail with GitLab's `{ message }` body. */
  failOn(failure: GitlabInjectedFailure): void {
    this.failures.push({ ...failure });
  }

  /** Requests that changed something (anything but GET and HEAD). */
  get writes(): GitlabRecordedRequest[] {
    return this.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD');
  }

  /** The commit a branch points at, or undefined. */
  branchHead(projectPath: string, branch: string): CommitObject | undefined {
    const sha = this.project(projectPath).refs.get(branch);
    return sha ? this.store.commits.get(sha) : undefined;
  }

  /** Every file of a branch (or commit), with its text and mode. */
  filesAt(
    projectPath: string,
    refOrSha: string,
  ): Record<string, { content: string; mode: FileMode }> {
    const commit = this.resolveCommit(this.project(projectPath), refOrSha);
    if (!commit) throw new Error(`no branch or commit ${refOrSha}`);
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
    return [...new Set([...after.keys(), ...before.keys()])]
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

  mergeRequests(projectPath: string): MergeRequestRecord[] {
    const path = this.project(projectPath).path;
    return this.mrs.filter(m => m.projectPath === path);
  }

  /**
   * A reviewer merges the merge request (GitLab's default merge method): a merge commit with the source's tree on
   * the target branch. The source must contain the target (no conflicts to resolve in a double).
   */
  mergeMergeRequest(projectPath: string, iid: number): void {
    const project = this.project(projectPath);
    const mr = this.findMr(project, iid);
    if (mr.state !== 'opened') throw new Error(`!${iid} is ${mr.state}`);
    const source = project.refs.get(mr.sourceBranch);
    const target = project.refs.get(mr.targetBranch);
    if (!source || !target) throw new Error(`!${iid}: a branch is missing`);
    if (!this.isAncestor(target, source))
      throw new Error(`!${iid}: ${mr.targetBranch} moved; rebase first`);
    const merge = this.store.writeCommit({
      message: `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${project.path}!${iid}`,
      tree: this.store.commits.get(source)!.tree,
      parents: [target, source],
      author: SYSTEM,
      committer: SYSTEM,
    });
    project.refs.set(mr.targetBranch, merge.sha);
    if (mr.removeSourceBranch) project.refs.delete(mr.sourceBranch);
    mr.state = 'merged';
    mr.mergedAt = new Date().toISOString();
    mr.mergeCommitSha = merge.sha;
  }

  /** Opens a merge request as `username` would (what the GitOps action leaves), without a request. */
  openMergeRequestAs(
    username: string,
    projectPath: string,
    sourceBranch: string,
    targetBranch: string,
    title: string,
  ): MergeRequestRecord {
    const project = this.project(projectPath);
    const reply = this.createMr(
      project,
      {
        source_branch: sourceBranch,
        target_branch: targetBranch,
        title,
      },
      { username, scopes: ['api'] },
      project.members.get(username) ?? 0,
    );
    return this.findMr(project, (reply.body as { iid: number }).iid);
  }

  /** A reviewer closes the merge request without merging it. */
  closeMergeRequest(projectPath: string, iid: number): void {
    const mr = this.findMr(this.project(projectPath), iid);
    mr.state = 'closed';
    mr.closedAt = new Date().toISOString();
  }

  /**
   * Moves a branch as a push by someone else would (e.g. the target branch moves on); a new branch starts from the
   * default branch.
   */
  commitFiles(
    projectPath: string,
    branch: string,
    files: Record<string, string | null>,
    message = 'Another change',
  ): string {
    const project = this.project(projectPath);
    const head =
      this.resolveCommit(project, branch) ??
      this.resolveCommit(project, project.defaultBranch);
    const flat = head
      ? this.store.flatten(head.tree)
      : new Map<string, FlatEntry>();
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else
        flat.set(path, {
          mode: '100644',
          sha: this.store.writeBlob(Buffer.from(content)),
        });
    }
    const commit = this.store.writeCommit({
      message,
      tree: this.store.buildTree(flat),
      parents: head ? [head.sha] : [],
      author: SYSTEM,
      committer: SYSTEM,
    });
    project.refs.set(branch, commit.sha);
    return commit.sha;
  }

  // --- HTTP --------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const method = req.method ?? 'GET';
      const raw = url.pathname.replace(/^\/api\/v4(?=\/)/, '');
      let segments: string[];
      try {
        // Each segment is decoded on its own: `platform%2Fgitops` is one segment, the project's full path.
        segments = raw.split('/').filter(Boolean).map(decodeURIComponent);
      } catch {
        segments = [];
      }
      const query = Object.fromEntries(url.searchParams);
      let body: any;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? JSON.parse(text) : {};
      } catch {
        body = {};
      }
      const record: GitlabRecordedRequest = {
        method,
        path: `/${segments.join('/')}`,
        query,
        body,
        status: 0,
      };
      this.requests.push(record);
      const send = (
        status: number,
        payload: unknown,
        headers: Record<string, string> = {},
        contentType = 'application/json',
      ) => {
        record.status = status;
        res.writeHead(status, { 'content-type': contentType, ...headers });
        if (method === 'HEAD' || payload === undefined) res.end();
        else
          res.end(
            typeof payload === 'string' || Buffer.isBuffer(payload)
              ? payload
              : JSON.stringify(payload),
          );
      };
      try {
        if (!url.pathname.startsWith('/api/v4/')) throw notFound();
        const caller = this.authenticate(req.headers);
        const failure = this.failures.find(
          f =>
            (!f.method || f.method === method) &&
            f.path.test(record.path) &&
            (f.times ?? Infinity) > 0,
        );
        if (failure) {
          failure.times = (failure.times ?? Infinity) - 1;
          throw new GitlabHttpError(failure.status, {
            message:
              failure.message ??
              `${failure.status} ${http.STATUS_CODES[failure.status] ?? 'Error'}`,
          });
        }
        const reply = this.route(
          method,
          segments,
          { ...body, ...query },
          url,
          caller,
        );
        send(reply.status, reply.body, reply.headers, reply.contentType);
      } catch (error) {
        if (error instanceof GitlabHttpError) send(error.status, error.body);
        else send(500, { message: `500 Internal Server Error: ${error}` });
      }
    });
  }

  /** `PRIVATE-TOKEN: <token>` or `Authorization: Bearer <token>`; none is an anonymous caller. */
  private authenticate(headers: http.IncomingHttpHeaders): Caller | undefined {
    const privateToken = headers['private-token'];
    const bearer = headers.authorization?.match(/^bearer\s+(.+)$/i)?.[1];
    const token =
      (Array.isArray(privateToken) ? privateToken[0] : privateToken) ?? bearer;
    if (token === undefined) return undefined;
    const found = this.tokens.get(token);
    if (!found || !found.active) throw unauthorized();
    return { username: found.username, scopes: found.scopes };
  }

  private route(
    method: string,
    segments: string[],
    params: Record<string, any>,
    url: URL,
    caller: Caller | undefined,
  ): Reply {
    const read = method === 'GET' || method === 'HEAD';
    if (caller) {
      const allowed = read ? ['api', 'read_api'] : ['api'];
      if (!caller.scopes.some(s => allowed.includes(s)))
        throw insufficientScope(allowed);
    }
    const [resource, id, sub, ...rest] = segments;
    if (resource === 'user' && segments.length === 1 && read) {
      if (!caller) throw unauthorized();
      return json(200, this.userJson(caller.username));
    }
    if (resource === 'personal_access_tokens' && id === 'self' && read) {
      if (!caller) throw unauthorized();
      return json(200, this.tokenJson(caller));
    }
    if (resource === 'users' && segments.length === 1 && read) {
      const found = [...this.users.keys()].filter(
        u =>
          !params.username ||
          u.toLowerCase() === String(params.username).toLowerCase(),
      );
      return this.page(
        found.map(u => this.userJson(u)),
        params,
        url,
      );
    }
    if (resource !== 'projects' || id === undefined) throw notFound();
    const project = this.visibleProject(id, caller);
    const level = project.members.get(caller!.username) ?? 0;
    if (sub === undefined && read)
      return json(200, this.projectJson(project, level));
    if (sub === 'repository')
      return this.repository(
        method,
        project,
        rest,
        params,
        url,
        caller!,
        level,
      );
    if (sub === 'merge_requests')
      return this.mergeRequestRoutes(
        method,
        project,
        rest,
        params,
        url,
        caller!,
        level,
      );
    if (sub === 'protected_branches' && read) {
      // `authorize_admin_project`: maintainers only; a developer's token gets 403.
      if (level < GITLAB_ACCESS.maintainer) throw forbidden();
      if (rest.length === 0)
        return this.page(
          project.protectedBranches.map(p => this.protectedJson(p)),
          params,
          url,
        );
      const found = project.protectedBranches.find(
        p => p.name === rest.join('/'),
      );
      if (!found) throw notFound();
      return json(200, this.protectedJson(found));
    }
    throw notFound();
  }

  private repository(
    method: string,
    project: ProjectState,
    rest: string[],
    params: Record<string, any>,
    url: URL,
    caller: Caller,
    level: number,
  ): Reply {
    const read = method === 'GET' || method === 'HEAD';
    const [kind, name, extra] = rest;
    if (level < GITLAB_ACCESS.reporter) throw forbidden();
    if (kind === 'branches') {
      if (read && name !== undefined) {
        const sha = project.refs.get(name);
        if (!sha) throw notFound('Branch');
        return json(200, this.branchJson(project, name, sha, level));
      }
      if (read) {
        const names = [...project.refs.keys()].filter(
          b => !params.search || b.includes(String(params.search)),
        );
        return this.page(
          names
            .sort()
            .map(b => this.branchJson(project, b, project.refs.get(b)!, level)),
          params,
          url,
        );
      }
      if (method === 'POST' && name === undefined)
        return this.createBranch(project, params, level);
    }
    if (kind === 'tree' && read) return this.tree(project, params, url);
    if (kind === 'files' && name !== undefined && read) {
      const commit = this.resolveCommit(project, params.ref);
      if (params.ref === undefined) throw missingParameter('ref');
      const entry = commit && this.store.lookup(commit.tree, name);
      if (!commit || !entry || entry.type !== 'blob') throw notFound('File');
      const content = this.store.blobs.get(entry.sha)!;
      if (extra === 'raw')
        return {
          status: 200,
          body: content,
          headers: { 'x-gitlab-blob-id': entry.sha },
          contentType: 'text/plain; charset=utf-8',
        };
      return json(200, {
        file_name: name.split('/').pop(),
        file_path: name,
        size: content.length,
        encoding: 'base64',
        content_sha256: createHash('sha256').update(content).digest('hex'),
        ref: params.ref,
        blob_id: entry.sha,
        commit_id: commit.sha,
        last_commit_id: this.lastCommitTouching(commit, name),
        execute_filemode: entry.mode === '100755',
        content: content.toString('base64'),
      });
    }
    if (kind === 'commits') {
      if (method === 'POST' && name === undefined)
        return this.createCommit(project, params, caller, level);
      if (read && name === undefined) {
        const start = this.resolveCommit(
          project,
          params.ref_name ?? project.defaultBranch,
        );
        if (!start) return this.page([], params, url);
        const list: unknown[] = [];
        for (
          let c: CommitObject | undefined = start;
          c;
          c = this.store.commits.get(c.parents[0])
        )
          list.push(this.commitJson(project, c));
        return this.page(list, params, url);
      }
      if (read) {
        const commit = this.resolveCommit(project, name);
        if (!commit) throw notFound('Commit');
        return json(200, this.commitJson(project, commit));
      }
    }
    throw notFound();
  }

  private createBranch(
    project: ProjectState,
    params: Record<string, any>,
    level: number,
  ): Reply {
    if (!params.branch) throw missingParameter('branch');
    if (!params.ref) throw missingParameter('ref');
    const name = String(params.branch);
    if (level < GITLAB_ACCESS.developer) throw forbidden();
    const protection = this.protection(project, name);
    if (protection && !canPush(protection, level)) throw forbidden();
    if (
      !/^[^\s~^:?*[\\]+$/.test(name) ||
      name.startsWith('/') ||
      name.endsWith('/') ||
      name.includes('..')
    )
      throw badRequest('Branch name is invalid');
    if (project.refs.has(name)) throw badRequest('Branch already exists');
    const commit = this.resolveCommit(project, String(params.ref));
    if (!commit) throw badRequest(`Invalid reference name: ${params.ref}`);
    project.refs.set(name, commit.sha);
    return json(201, this.branchJson(project, name, commit.sha, level));
  }

  /** `POST /projects/:id/repository/commits`: one commit of file actions, as `Files::MultiService` makes it. */
  private createCommit(
    project: ProjectState,
    params: Record<string, any>,
    caller: Caller,
    level: number,
  ): Reply {
    for (const required of ['branch', 'commit_message', 'actions'])
      if (params[required] === undefined) throw missingParameter(required);
    const branch = String(params.branch);
    const startBranch =
      params.start_branch !== undefined
        ? String(params.start_branch)
        : undefined;
    if (level < GITLAB_ACCESS.developer) throw forbidden();
    const protection = this.protection(project, branch);
    if (protection && !canPush(protection, level))
      throw forbidden('You are not allowed to push into this branch');
    const exists = project.refs.has(branch);
    let start: CommitObject | undefined;
    if (params.start_sha !== undefined) {
      start = this.store.commits.get(String(params.start_sha));
      if (!start)
        throw badRequest(`Cannot find start_sha '${params.start_sha}'`);
    } else {
      const from = startBranch ?? branch;
      if (!project.refs.has(from))
        throw badRequest(
          'You can only create or edit files when you are on a branch',
        );
      start = this.resolveCommit(project, from);
    }
    const differentBranch =
      (startBranch !== undefined && startBranch !== branch) ||
      params.start_sha !== undefined;
    if (differentBranch && exists && !params.force)
      throw badRequest(
        `A branch called '${branch}' already exists. Switch to that branch in order to make changes`,
      );
    if (!Array.isArray(params.actions) || params.actions.length === 0)
      throw new GitlabHttpError(400, { error: 'actions is empty' });
    const files = this.store.flatten(start!.tree);
    for (const [i, action] of params.actions.entries()) {
      if (!isValidFilePath(action.file_path))
        throw new GitlabHttpError(400, {
          error: `actions[${i}][file_path] should be a valid file path`,
        });
      const path = action.file_path as string;
      const present = files.get(path);
      const content = () => {
        if (typeof action.content !== 'string') return Buffer.alloc(0);
        return Buffer.from(
          action.content,
          action.encoding === 'base64' ? 'base64' : 'utf8',
        );
      };
      const mode = (fallback: FileMode): FileMode => {
        if (action.execute_filemode === true) return '100755';
        if (action.execute_filemode === false) return '100644';
        return fallback;
      };
      if (
        action.last_commit_id !== undefined &&
        present &&
        this.lastCommitTouching(start!, path) !== action.last_commit_id
      )
        throw badRequest(
          'You are attempting to update a file that has changed since you started editing it.',
        );
      switch (action.action) {
        case 'create':
          if (present) throw badRequest('A file with this name already exists');
          files.set(path, {
            mode: mode('100644'),
            sha: this.store.writeBlob(content()),
          });
          break;
        case 'update':
          if (!present) throw badRequest("A file with this name doesn't exist");
          files.set(path, {
            mode: mode(present.mode),
            sha: this.store.writeBlob(content()),
          });
          break;
        case 'delete':
          if (!present) throw badRequest("A file with this name doesn't exist");
          files.delete(path);
          break;
        case 'chmod':
          if (!present) throw badRequest("A file with this name doesn't exist");
          files.set(path, { ...present, mode: mode(present.mode) });
          break;
        default:
          throw new GitlabHttpError(400, {
            error: `actions[${i}][action] does not have a valid value`,
          });
      }
    }
    const now = new Date().toISOString();
    const author: GitPerson = {
      name: params.author_name ?? caller.username,
      email: params.author_email ?? `${caller.username}@example.test`,
      date: now,
    };
    const commit = this.store.writeCommit({
      message: String(params.commit_message),
      tree: this.store.buildTree(files),
      parents: [start!.sha],
      author,
      committer: { ...author },
    });
    project.refs.set(branch, commit.sha);
    return json(201, {
      ...this.commitJson(project, commit),
      project_id: project.id,
      stats: { additions: 0, deletions: 0, total: 0 },
      status: null,
      last_pipeline: null,
    });
  }

  private tree(
    project: ProjectState,
    params: Record<string, any>,
    url: URL,
  ): Reply {
    const commit = this.resolveCommit(
      project,
      params.ref ?? project.defaultBranch,
    );
    const dir = String(params.path ?? '').replace(/\/+$/, '');
    const entry =
      commit &&
      (dir
        ? this.store.lookup(commit.tree, dir)
        : { type: 'tree' as const, sha: commit.tree });
    if (!commit || !entry || entry.type !== 'tree') throw notFound('Tree');
    const recursive = params.recursive === true || params.recursive === 'true';
    const walk = (sha: string, prefix: string): unknown[] =>
      (this.store.trees.get(sha) ?? []).flatMap(e => {
        const path = prefix ? `${prefix}/${e.name}` : e.name;
        const item = {
          id: e.sha,
          name: e.name,
          type: e.type,
          path,
          mode: e.mode,
        };
        return recursive && e.type === 'tree'
          ? [item, ...walk(e.sha, path)]
          : [item];
      });
    return this.page(walk(entry.sha, dir), params, url);
  }

  private mergeRequestRoutes(
    method: string,
    project: ProjectState,
    rest: string[],
    params: Record<string, any>,
    url: URL,
    caller: Caller,
    level: number,
  ): Reply {
    const read = method === 'GET' || method === 'HEAD';
    if (rest.length === 0 && read) {
      const state = params.state ?? 'all';
      const list = this.mrs
        .filter(m => m.projectPath === project.path)
        .filter(m => state === 'all' || m.state === state)
        .filter(
          m => !params.source_branch || m.sourceBranch === params.source_branch,
        )
        .filter(
          m => !params.target_branch || m.targetBranch === params.target_branch,
        )
        .sort((a, b) => b.iid - a.iid)
        .map(m => this.mrJson(project, m));
      return this.page(list, params, url);
    }
    if (rest.length === 0 && method === 'POST')
      return this.createMr(project, params, caller, level);
    if (rest.length === 1) {
      const mr = this.findMr(project, Number(rest[0]));
      if (read) return json(200, this.mrJson(project, mr));
      if (method === 'PUT') {
        if (level < GITLAB_ACCESS.developer && mr.author !== caller.username)
          throw forbidden();
        if (params.title !== undefined) mr.title = String(params.title);
        if (params.description !== undefined)
          mr.description = String(params.description);
        if (params.target_branch !== undefined)
          mr.targetBranch = String(params.target_branch);
        if (params.labels !== undefined) mr.labels = labelList(params.labels);
        if (params.add_labels !== undefined)
          mr.labels = [
            ...new Set([...mr.labels, ...labelList(params.add_labels)]),
          ];
        if (params.reviewer_ids !== undefined)
          mr.reviewerIds = (params.reviewer_ids as unknown[]).map(Number);
        if (params.state_event === 'close' && mr.state === 'opened') {
          mr.state = 'closed';
          mr.closedAt = new Date().toISOString();
        }
        if (params.state_event === 'reopen' && mr.state === 'closed') {
          mr.state = 'opened';
          mr.closedAt = undefined;
        }
        return json(200, this.mrJson(project, mr));
      }
    }
    throw notFound();
  }

  private createMr(
    project: ProjectState,
    params: Record<string, any>,
    caller: Caller,
    level: number,
  ): Reply {
    for (const required of ['source_branch', 'target_branch', 'title'])
      if (!params[required]) throw missingParameter(required);
    if (level < GITLAB_ACCESS.developer) throw forbidden();
    const source = String(params.source_branch);
    const target = String(params.target_branch);
    if (source === target)
      throw badRequest([
        "You can't use same project/branch for source and target",
      ]);
    const errors: string[] = [];
    if (!project.refs.has(source)) errors.push('Source branch is invalid');
    if (!project.refs.has(target)) errors.push('Target branch is invalid');
    if (errors.length) throw badRequest(errors);
    const open = this.mrs.find(
      m =>
        m.projectPath === project.path &&
        m.sourceBranch === source &&
        m.targetBranch === target &&
        m.state === 'opened',
    );
    if (open)
      throw conflict([
        `Another open merge request already exists for this source branch: !${open.iid}`,
      ]);
    const mr: MergeRequestRecord = {
      id: this.nextId++ * 1000,
      iid: project.nextIid++,
      projectPath: project.path,
      title: String(params.title),
      description: String(params.description ?? ''),
      sourceBranch: source,
      targetBranch: target,
      state: 'opened',
      labels: params.labels !== undefined ? labelList(params.labels) : [],
      reviewerIds: Array.isArray(params.reviewer_ids)
        ? params.reviewer_ids.map(Number)
        : [],
      removeSourceBranch:
        params.remove_source_branch === true ||
        params.remove_source_branch === 'true',
      author: caller.username,
      createdAt: new Date().toISOString(),
    };
    this.mrs.push(mr);
    return json(201, this.mrJson(project, mr));
  }

  // --- state -------------------------------------------------------------

  /** A project by numeric id or full path, as the caller sees it: private projects of others are 404. */
  private visibleProject(id: string, caller: Caller | undefined): ProjectState {
    const project = /^\d+$/.test(id)
      ? [...this.projects.values()].find(p => p.id === Number(id))
      : this.projects.get(id.toLowerCase());
    if (!project || !caller || !project.members.has(caller.username))
      throw notFound('Project');
    return project;
  }

  private project(path: string): ProjectState {
    const project = this.projects.get(path.toLowerCase());
    if (!project) throw new Error(`no project ${path}`);
    return project;
  }

  private findMr(project: ProjectState, iid: number): MergeRequestRecord {
    const mr = this.mrs.find(
      m => m.projectPath === project.path && m.iid === iid,
    );
    if (!mr) throw notFound();
    return mr;
  }

  private protection(project: ProjectState, branch: string) {
    return project.protectedBranches.find(p =>
      matchesProtection(p.name, branch),
    );
  }

  private userId(username: string): number {
    if (!this.users.has(username)) this.users.set(username, this.nextId++);
    return this.users.get(username)!;
  }

  private resolveCommit(
    project: ProjectState,
    refOrSha: string | undefined,
  ): CommitObject | undefined {
    if (refOrSha === undefined) return undefined;
    const sha = project.refs.get(refOrSha) ?? refOrSha;
    return this.store.commits.get(sha);
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

  /** The newest first-parent commit that changed a path (`last_commit_id`). */
  private lastCommitTouching(head: CommitObject, path: string): string {
    let current = head;
    const blobAt = (c: CommitObject) => this.store.lookup(c.tree, path)?.sha;
    for (;;) {
      const parent = current.parents[0]
        ? this.store.commits.get(current.parents[0])
        : undefined;
      if (!parent || blobAt(parent) !== blobAt(current)) return current.sha;
      current = parent;
    }
  }

  // --- JSON --------------------------------------------------------------

  private page(items: unknown[], params: Record<string, any>, url: URL): Reply {
    const { page, headers } = paginate(items, params, url);
    return { status: 200, body: page, headers };
  }

  private webUrl(project: ProjectState, rest = ''): string {
    return `${this.webBaseUrl}/${project.path}${rest}`;
  }

  private projectJson(project: ProjectState, level: number) {
    const [name] = project.path.split('/').slice(-1);
    const namespace = project.path.split('/').slice(0, -1).join('/');
    return {
      id: project.id,
      description: null,
      name,
      name_with_namespace: project.path.split('/').join(' / '),
      path: name,
      path_with_namespace: project.path,
      created_at: '2024-01-01T00:00:00.000Z',
      default_branch: project.defaultBranch,
      visibility: 'private',
      archived: false,
      empty_repo: false,
      ssh_url_to_repo: `git@${new URL(this.webBaseUrl).host}:${project.path}.git`,
      http_url_to_repo: `${this.webUrl(project)}.git`,
      web_url: this.webUrl(project),
      namespace: {
        id: project.id + 10_000,
        name: namespace.split('/').pop(),
        path: namespace.split('/').pop(),
        kind: 'group',
        full_path: namespace,
      },
      permissions: {
        project_access: { access_level: level, notification_level: 3 },
        group_access: null,
      },
    };
  }

  private commitJson(project: ProjectState, commit: CommitObject) {
    return {
      id: commit.sha,
      short_id: commit.sha.slice(0, 8),
      created_at: commit.committer.date,
      parent_ids: commit.parents,
      title: commit.message.split('\n')[0],
      message: commit.message,
      author_name: commit.author.name,
      author_email: commit.author.email,
      authored_date: commit.author.date,
      committer_name: commit.committer.name,
      committer_email: commit.committer.email,
      committed_date: commit.committer.date,
      trailers: {},
      web_url: this.webUrl(project, `/-/commit/${commit.sha}`),
    };
  }

  private branchJson(
    project: ProjectState,
    name: string,
    sha: string,
    level: number,
  ) {
    const protection = this.protection(project, name);
    return {
      name,
      commit: this.commitJson(project, this.store.commits.get(sha)!),
      merged: false,
      protected: Boolean(protection),
      developers_can_push:
        !protection || canPush(protection, GITLAB_ACCESS.developer),
      developers_can_merge:
        !protection || protection.mergeAccessLevel <= GITLAB_ACCESS.developer,
      can_push: protection
        ? canPush(protection, level)
        : level >= GITLAB_ACCESS.developer,
      default: name === project.defaultBranch,
      web_url: this.webUrl(project, `/-/tree/${name}`),
    };
  }

  private protectedJson(p: Required<GitlabProtectedBranchFixture>) {
    const describe = (level: number) => {
      if (level === 0) return 'No one';
      if (level === GITLAB_ACCESS.developer) return 'Developers + Maintainers';
      return 'Maintainers';
    };
    return {
      id: this.nextId++,
      name: p.name,
      push_access_levels: [
        {
          id: 1,
          access_level: p.pushAccessLevel,
          access_level_description: describe(p.pushAccessLevel),
          user_id: null,
          group_id: null,
        },
      ],
      merge_access_levels: [
        {
          id: 2,
          access_level: p.mergeAccessLevel,
          access_level_description: describe(p.mergeAccessLevel),
          user_id: null,
          group_id: null,
        },
      ],
      allow_force_push: false,
      code_owner_approval_required: false,
    };
  }

  private userJson(username: string) {
    return {
      id: this.userId(username),
      username,
      name: username,
      state: 'active',
      locked: false,
      avatar_url: null,
      web_url: `${this.webBaseUrl}/${username}`,
    };
  }

  private tokenJson(caller: Caller) {
    const [, token] =
      [...this.tokens.entries()].find(
        ([, t]) => t.username === caller.username && t.scopes === caller.scopes,
      ) ?? [];
    return {
      id: 1,
      name: 'backstage',
      revoked: false,
      created_at: '2024-01-01T00:00:00.000Z',
      description: null,
      scopes: token?.scopes ?? caller.scopes,
      user_id: this.userId(caller.username),
      last_used_at: new Date().toISOString(),
      active: true,
      expires_at: '2099-01-01',
    };
  }

  private mrJson(project: ProjectState, mr: MergeRequestRecord) {
    const author = this.userJson(mr.author);
    const reviewers = [...this.users.entries()]
      .filter(([, id]) => mr.reviewerIds.includes(id))
      .map(([u]) => this.userJson(u));
    return {
      id: mr.id,
      iid: mr.iid,
      project_id: project.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      created_at: mr.createdAt,
      updated_at: mr.mergedAt ?? mr.closedAt ?? mr.createdAt,
      merged_by: mr.mergedAt ? this.userJson('root') : null,
      merged_at: mr.mergedAt ?? null,
      closed_at: mr.closedAt ?? null,
      target_branch: mr.targetBranch,
      source_branch: mr.sourceBranch,
      author,
      assignees: [],
      reviewers,
      source_project_id: project.id,
      target_project_id: project.id,
      labels: mr.labels,
      draft: /^(draft:|\[draft\]|\(draft\))/i.test(mr.title),
      work_in_progress: /^(draft:|\[draft\]|\(draft\))/i.test(mr.title),
      merge_when_pipeline_succeeds: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: mr.state === 'opened' ? 'mergeable' : 'not_open',
      sha: project.refs.get(mr.sourceBranch) ?? null,
      merge_commit_sha: mr.mergeCommitSha ?? null,
      squash_commit_sha: null,
      force_remove_source_branch: mr.removeSourceBranch,
      references: {
        short: `!${mr.iid}`,
        relative: `!${mr.iid}`,
        full: `${project.path}!${mr.iid}`,
      },
      web_url: this.webUrl(project, `/-/merge_requests/${mr.iid}`),
    };
  }
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/** "No one" (0) keeps everybody out; otherwise the role must reach the push level. */
function canPush(p: { pushAccessLevel: number }, level: number): boolean {
  return p.pushAccessLevel > 0 && level >= p.pushAccessLevel;
}

/** GitLab takes labels as a comma-separated string or an array. */
function labelList(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value.map(String)
    : String(value).split(',');
  return [...new Set(list.map(l => l.trim()).filter(Boolean))];
}

function json(status: number, body: unknown): Reply {
  return { status, body };
}
