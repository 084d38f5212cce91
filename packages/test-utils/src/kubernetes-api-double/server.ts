/**
 * The Kubernetes API double: a loopback HTTP(S) server with the real API's
 * paths, verbs, JSON shapes, status codes and `metav1.Status` error bodies,
 * backed by in-memory objects. See README.md beside this file.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  ALL_RULES,
  allows,
  Attributes,
  rulesNotHeld,
  TokenGrant,
  userOf,
} from './auth';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery';
import { applyJsonPatch, applyMergePatch } from './patch';
import {
  findByKind,
  findByPath,
  RESOURCE_TYPES,
  ResourceType,
} from './resources';
import { reviewSelfSubjectAccess, SSAR_PATH } from './selfSubjectAccessReview';
import { matchesFieldSelector, matchesLabelSelector } from './selectors';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  forbiddenWithMessage,
  injected,
  invalid,
  methodNotAllowed,
  notFound,
  pathNotFound,
  StatusError,
  unauthorized,
  unsupportedMediaType,
} from './status';
import { KubeObject, ObjectStore } from './store';
import { WatchHub } from './watch';

export interface KubernetesApiDoubleOptions {
  /** Who may call; default one cluster-admin token, `double-admin-token` (name `admin`). */
  tokens?: TokenGrant[];
  /** Serve HTTPS with the self-signed loopback certificate in `fixtures/` (see `caData`). */
  tls?: boolean;
  /** Objects to start with: YAML (one or more documents) or objects. */
  objects?: string | KubeObject[];
  /** Port on 127.0.0.1; default 0 (a free one). The local demo uses a fixed one from its config. */
  port?: number;
  /** What `GET /version` reports, e.g. `1.32.5` (OpenShift 4.19); default `1.31.0`. */
  kubernetesVersion?: string;
  /** How often watches with `allowWatchBookmarks=true` get a BOOKMARK; default 60 s, as the API server. */
  bookmarkMs?: number;
  /**
   * API group/versions this cluster does not serve (e.g. `policy/v1` on a cluster older than 1.21): absent from
   * discovery and answered 404 as the real API server answers an unknown group.
   */
  unservedApiVersions?: string[];
}

/** One request as the double saw it. The bearer token is recorded by its name only. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The name of the token used, `anonymous` without one, `unknown` for a token the double does not know. */
  token: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, or `discovery`. */
  verb: string;
  dryRun: boolean;
  contentType?: string;
  body?: unknown;
  status: number;
  /** Bytes of the response body sent so far (a watch adds each event's line as it is sent). */
  bytes: number;
}

export interface InjectedFailure {
  method?: string;
  /** A substring of the path, or a pattern. */
  path?: string | RegExp;
  code: number;
  reason?: string;
  message?: string;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Only watches (true) or only other requests (false); default both. */
  watch?: boolean;
  /** Sent as `Retry-After` and `details.retryAfterSeconds`, as API priority and fairness (429) and a busy server (503) do. */
  retryAfterSeconds?: number;
}

const FIXTURES = path.join(__dirname, 'fixtures');
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);

/** JSON with sorted keys, so that two objects compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonicalJson((value as any)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** The part of a StatefulSet's spec the API server never lets an update change. */
function fixedStatefulSetSpec(object: KubeObject): string {
  const {
    replicas,
    ordinals,
    template,
    updateStrategy,
    revisionHistoryLimit,
    persistentVolumeClaimRetentionPolicy,
    minReadySeconds,
    ...fixed
  } = ((object as any).spec ?? {}) as Record<string, unknown>;
  return canonicalJson(fixed);
}
const DEFAULT_TOKENS: TokenGrant[] = [
  { name: 'admin', token: 'double-admin-token', rules: ALL_RULES },
];

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function parseYamlDocuments(text: string): KubeObject[] {
  return yaml
    .loadAll(text)
    .filter((doc): doc is KubeObject => !!doc && typeof doc === 'object');
}

/** Sends a JSON answer; returns the bytes of its body. */
function send(res: http.ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  const retryAfter = (body as { details?: { retryAfterSeconds?: number } })
    ?.details?.retryAfterSeconds;
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
  });
  res.end(text);
  return Buffer.byteLength(text);
}

/** A namespace or object name the API server accepts in a URL path. */
function validPathName(name: string): boolean {
  return name !== '.' && name !== '..' && !/[/%]/.test(name) && name.length > 0;
}

export class KubernetesApiDouble {
  /** Every request, oldest first. */
  readonly requests: RecordedRequest[] = [];
  private watches = new WatchHub(() => Number(this.store.resourceVersion));
  private readonly store = new ObjectStore(change =>
    this.watches.record(change),
  );
  private readonly tokens: TokenGrant[];
  private versionInfo: ReturnType<typeof versionInfo>;
  private readonly failures: InjectedFailure[] = [];
  private server!: http.Server;
  private baseUrl = '';

  /** Starts a double on 127.0.0.1 and a free port (or `port`). Close it with `close()`. */
  static async start(
    options: KubernetesApiDoubleOptions = {},
  ): Promise<KubernetesApiDouble> {
    const double = new KubernetesApiDouble(options);
    await double.listen(!!options.tls, options.port ?? 0);
    if (options.objects) double.load(options.objects);
    return double;
  }

  private constructor(options: KubernetesApiDoubleOptions) {
    this.tokens = [...(options.tokens ?? DEFAULT_TOKENS)];
    this.versionInfo = versionInfo(options.kubernetesVersion);
    this.watches = new WatchHub(
      () => Number(this.store.resourceVersion),
      options.bookmarkMs,
    );
    this.unserved = new Set(options.unservedApiVersions ?? []);
  }

  private readonly unserved: Set<string>;

  /** The cluster is upgraded: `GET /version` answers this version from now on. */
  setKubernetesVersion(version: string): void {
    this.versionInfo = versionInfo(version);
  }

  /** `http(s)://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Base64 PEM of the loopback certificate (the `caData` a client needs when `tls` is on). */
  static get caData(): string {
    return fs
      .readFileSync(path.join(FIXTURES, 'loopback-tls.crt'))
      .toString('base64');
  }

  /** Path of the loopback certificate (for `caFile`). */
  static get caFile(): string {
    return path.join(FIXTURES, 'loopback-tls.crt');
  }

  private async listen(tls: boolean, port: number): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch(error =>
        send(res, 500, { message: String(error) }),
      );
    };
    this.server = tls
      ? https.createServer(
          {
            cert: fs.readFileSync(path.join(FIXTURES, 'loopback-tls.crt')),
            key: fs.readFileSync(path.join(FIXTURES, 'loopback-tls.key')),
          },
          handler,
        )
      : http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject); // e.g. EADDRINUSE on a fixed port
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    this.watches.endAll();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Adds a credential. */
  addToken(grant: TokenGrant): void {
    this.tokens.push(grant);
  }

  /** Requests that could change state (POST, PUT, PATCH, DELETE), dry run or not; access reviews change nothing. */
  writeRequests(): RecordedRequest[] {
    return this.requests.filter(
      r =>
        WRITE_METHODS.has(r.method) && r.path.replace(/\/$/, '') !== SSAR_PATH,
    );
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Response bytes of the recorded requests (optionally only those matching), watch streams included. */
  bytesServed(filter: (r: RecordedRequest) => boolean = () => true): number {
    return this.requests.filter(filter).reduce((sum, r) => sum + r.bytes, 0);
  }

  /** Watch streams open now. */
  get openWatches(): number {
    return this.watches.size;
  }

  /** Ends the open watch streams (every one, or those of the paths `which` picks) cleanly, as an API server restart does; clients reconnect. */
  endWatches(which?: (path: string) => boolean): void {
    this.watches.endAll(which);
  }

  /** Forgets the change history, as etcd's compaction: a watch from an older resourceVersion gets a 410 `Expired`. */
  compact(): void {
    this.watches.compact();
  }

  /** Makes the next matching request(s) fail with the given status, before it touches any object. */
  failNext(failure: InjectedFailure): void {
    this.failures.push({ times: 1, ...failure });
  }

  /** Stores objects (YAML documents or objects) as they are; namespaces of namespaced objects are created if missing. */
  load(objects: string | KubeObject[]): KubeObject[] {
    const docs =
      typeof objects === 'string' ? parseYamlDocuments(objects) : objects;
    return docs.map(doc => {
      const type = findByKind(doc.apiVersion ?? '', doc.kind ?? '');
      if (!type)
        throw new Error(
          `The Kubernetes API double does not serve ${doc.apiVersion} ${doc.kind}`,
        );
      const namespace = doc.metadata?.namespace;
      if (type.namespaced) {
        if (!namespace)
          throw new Error(
            `${doc.kind} ${doc.metadata?.name} needs metadata.namespace to be loaded`,
          );
        const nsType = findByKind('v1', 'Namespace')!;
        if (!this.store.get(nsType, undefined, namespace)) {
          this.store.create(nsType, { metadata: { name: namespace } }, true);
        }
      }
      return this.store.put(type, doc);
    });
  }

  /** Loads objects from a YAML file (one or more documents). */
  loadFile(file: string): KubeObject[] {
    return this.load(fs.readFileSync(file, 'utf8'));
  }

  /** The stored object, or undefined. */
  get(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): KubeObject | undefined {
    return this.store.get(this.typeOf(apiVersion, kind), namespace, name);
  }

  /** Stored objects of a kind (in one namespace, or all). */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.store.list(this.typeOf(apiVersion, kind), namespace);
  }

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const type = findByKind(apiVersion, kind);
    if (!type)
      throw new Error(
        `The Kubernetes API double does not serve ${apiVersion} ${kind}`,
      );
    return type;
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      token: 'anonymous',
      verb: 'discovery',
      dryRun: query.dryRun === 'All',
      ...(contentType ? { contentType } : {}),
      status: 0,
      bytes: 0,
    };
    this.requests.push(record);
    let status = 200;
    let body: unknown;
    try {
      const bearer = /^Bearer (.+)$/i.exec(
        req.headers.authorization ?? '',
      )?.[1];
      const grant =
        bearer === undefined
          ? undefined
          : this.tokens.find(t => t.token === bearer);
      if (bearer !== undefined) record.token = grant ? grant.name : 'unknown';
      if (bearer !== undefined && !grant) throw unauthorized();
      const parsedBody = rawBody
        ? this.parseBody(rawBody, contentType)
        : undefined;
      if (parsedBody !== undefined) record.body = parsedBody;
      const routed = this.route(
        method,
        url.pathname,
        query,
        parsedBody,
        contentType,
        grant,
        record,
      );
      if (routed.watch) {
        record.status = 200;
        const { type, namespace } = routed.watch;
        this.watches.start(
          res,
          type,
          namespace,
          query,
          Number(this.store.resourceVersion),
          n => {
            record.bytes += n;
          },
          url.pathname,
        );
        return;
      }
      ({ status, body } = routed);
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
      status = error.body.code;
      body = error.body;
    }
    record.status = status;
    record.bytes = send(res, status, body);
  }

  private parseBody(raw: string, contentType: string): unknown {
    try {
      return contentType === 'application/apply-patch+yaml'
        ? yaml.load(raw)
        : JSON.parse(raw);
    } catch (error) {
      throw badRequest(
        `error decoding request body: ${(error as Error).message}`,
      );
    }
  }

  private takeFailure(
    method: string,
    pathname: string,
    watch: boolean,
  ): InjectedFailure | undefined {
    const index = this.failures.findIndex(
      f =>
        (!f.method || f.method === method) &&
        (f.watch === undefined || f.watch === watch) &&
        (!f.path ||
          (typeof f.path === 'string'
            ? pathname.includes(f.path)
            : f.path.test(pathname))),
    );
    if (index < 0) return undefined;
    const failure = this.failures[index];
    failure.times = (failure.times ?? 1) - 1;
    if (failure.times <= 0) this.failures.splice(index, 1);
    return failure;
  }

  private route(
    method: string,
    pathname: string,
    query: Record<string, string>,
    body: unknown,
    contentType: string,
    grant: TokenGrant | undefined,
    record: RecordedRequest,
  ): {
    status: number;
    body: unknown;
    watch?: { type: ResourceType; namespace?: string };
  } {
    const discovery = this.discovery(method, pathname);
    if (discovery) return { status: 200, body: discovery };
    if (!grant) throw unauthorized();
    if (pathname.replace(/\/$/, '') === SSAR_PATH) {
      if (method !== 'POST')
        throw methodNotAllowed(
          'the server does not allow this method on the requested resource',
        );
      record.verb = 'create';
      return reviewSelfSubjectAccess(grant, body);
    }

    const target = this.parseTarget(pathname);
    const verb = this.verbOf(method, target, query);
    record.verb = verb;
    if (
      target.type.namespaced &&
      target.namespace === undefined &&
      verb !== 'list' &&
      verb !== 'watch'
    ) {
      throw pathNotFound();
    }
    const failure = this.takeFailure(method, pathname, verb === 'watch');
    if (failure) {
      throw injected(
        failure.code,
        failure.reason ?? 'InternalError',
        failure.message ??
          'an error on the server ("") has prevented the request from succeeding',
        failure.retryAfterSeconds,
      );
    }
    const { type, namespace, name, subresource } = target;
    const resource = subresource
      ? `${type.resource}/${subresource}`
      : type.resource;
    const attributes: Attributes = {
      verb,
      apiGroup: type.group,
      resource,
      namespace,
      name,
    };
    if (!allows(grant.rules, attributes)) {
      throw forbidden(type, userOf(grant), verb, resource, namespace, name);
    }
    if (query.dryRun !== undefined && query.dryRun !== 'All') {
      throw badRequest(
        `Invalid dry run value: ${query.dryRun}; supported values: All`,
      );
    }
    const persist = query.dryRun !== 'All';

    switch (verb) {
      case 'list':
        return { status: 200, body: this.listBody(type, namespace, query) };
      case 'watch':
        if (name !== undefined)
          throw methodNotAllowed(
            'watching a single object is not supported by the Kubernetes API double',
          );
        this.listBody(type, namespace, query); // the same selector errors as a list
        return { status: 200, body: undefined, watch: { type, namespace } };
      case 'get':
        return { status: 200, body: this.mustGet(type, namespace, name!) };
      case 'create':
        return {
          status: 201,
          body: this.create(
            type,
            namespace,
            body as KubeObject,
            grant,
            persist,
          ),
        };
      case 'update':
        return {
          status: 200,
          body: this.update(
            type,
            namespace,
            name!,
            subresource,
            body as KubeObject,
            grant,
            persist,
          ),
        };
      case 'patch':
        return this.patch(
          type,
          namespace,
          name!,
          subresource,
          body,
          contentType,
          query,
          grant,
          persist,
        );
      case 'delete': {
        const current = this.mustGet(type, namespace, name!);
        this.store.delete(type, namespace, name!, persist);
        return { status: 200, body: current };
      }
      default:
        throw methodNotAllowed(
          `${verb} is not supported by the Kubernetes API double`,
        );
    }
  }

  private discovery(method: string, pathname: string): unknown {
    if (method !== 'GET') return undefined;
    const p = pathname.replace(/\/$/, '');
    if (p === '/version') return this.versionInfo;
    if (p === '/api')
      return apiVersions(this.baseUrl.replace(/^https?:\/\//, ''));
    if (p === '/apis') {
      const list = apiGroupList();
      return {
        ...list,
        groups: list.groups
          .map(g => {
            const versions = g.versions.filter(
              v => !this.unserved.has(v.groupVersion),
            );
            return { ...g, versions, preferredVersion: versions[0] };
          })
          .filter(g => g.versions.length > 0),
      };
    }
    if (p === '/api/v1') return apiResourceList('', 'v1');
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (m && m[2] && this.unserved.has(`${m[1]}/${m[2]}`)) throw pathNotFound();
    if (m) return m[2] ? apiResourceList(m[1], m[2]) : apiGroup(m[1]);
    return undefined;
  }

  private parseTarget(pathname: string): Target {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+?)\/?$/.exec(
      pathname,
    );
    if (!m) throw pathNotFound();
    const group = m[2] ?? '';
    const version = m[1] ?? m[3];
    const segments = m[4].split('/').map(decodeURIComponent);
    let namespace: string | undefined;
    if (segments[0] === 'namespaces' && segments.length >= 3) {
      const nested = findByPath(group, version, segments[2]);
      if (nested?.namespaced) {
        namespace = segments[1];
        segments.splice(0, 2);
      }
    }
    const [resource, name, subresource, ...rest] = segments;
    const type = findByPath(group, version, resource);
    if (
      !type ||
      rest.length > 0 ||
      (subresource !== undefined && subresource !== 'status')
    )
      throw pathNotFound();
    if (
      type.namespaced !== (namespace !== undefined) &&
      !(type.namespaced && name === undefined)
    )
      throw pathNotFound();
    return { type, namespace, name, subresource };
  }

  private verbOf(
    method: string,
    target: Target,
    query: Record<string, string>,
  ): string {
    const item = target.name !== undefined;
    switch (method) {
      case 'GET':
        if (query.watch === 'true' || query.watch === '1') return 'watch';
        return item ? 'get' : 'list';
      case 'POST':
        if (item)
          throw methodNotAllowed(
            'the server does not allow this method on the requested resource',
          );
        return 'create';
      case 'PUT':
        if (!item)
          throw methodNotAllowed(
            'the server does not allow this method on the requested resource',
          );
        return 'update';
      case 'PATCH':
        if (!item)
          throw methodNotAllowed(
            'the server does not allow this method on the requested resource',
          );
        return 'patch';
      case 'DELETE':
        return item ? 'delete' : 'deletecollection';
      default:
        throw methodNotAllowed(
          'the server does not allow this method on the requested resource',
        );
    }
  }

  private listBody(
    type: ResourceType,
    namespace: string | undefined,
    query: Record<string, string>,
  ) {
    const items = this.store
      .list(
        type,
        namespace,
        o =>
          matchesLabelSelector(query.labelSelector, o.metadata?.labels) &&
          matchesFieldSelector(query.fieldSelector, o),
      )
      // Items of a typed list carry no apiVersion/kind, as the real server sends them.
      .map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    const limit = Number(query.limit);
    return {
      kind: type.listKind,
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      metadata: { resourceVersion: this.store.resourceVersion },
      items: limit > 0 ? items.slice(0, limit) : items,
    };
  }

  private mustGet(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const found = this.store.get(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  private requireNamespace(namespace: string | undefined): void {
    if (namespace === undefined) return;
    const nsType = findByKind('v1', 'Namespace')!;
    if (!this.store.get(nsType, undefined, namespace))
      throw notFound(nsType, namespace);
  }

  private validateObject(
    type: ResourceType,
    obj: KubeObject,
    namespace: string | undefined,
  ): void {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw badRequest('the body of the request must be an object');
    if (obj.kind !== undefined && obj.kind !== type.kind) {
      throw badRequest(
        `the kind of the object (${obj.kind}) does not match the resource (${type.resource})`,
      );
    }
    const bodyNamespace = obj.metadata?.namespace;
    if (
      type.namespaced &&
      bodyNamespace !== undefined &&
      bodyNamespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const name = obj.metadata?.name;
    if (!name) {
      throw invalid(type, '', [
        {
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    if (
      !validPathName(name) ||
      (type.kind === 'Namespace' && !(label.test(name) && name.length <= 63))
    ) {
      throw invalid(type, name, [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
        },
      ]);
    }
  }

  /** RBAC escalation prevention: binding a role needs `bind` on it, or every permission it grants. */
  private checkBindingEscalation(
    type: ResourceType,
    obj: KubeObject,
    namespace: string | undefined,
    grant: TokenGrant,
  ): void {
    if (!BINDINGS.has(type.resource)) return;
    const roleRef = obj.roleRef ?? {};
    const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
    const bindAttributes: Attributes = {
      verb: 'bind',
      apiGroup: 'rbac.authorization.k8s.io',
      resource: roleResource,
      name: roleRef.name,
      namespace,
    };
    if (allows(grant.rules, bindAttributes)) return;
    const roleType = RESOURCE_TYPES.find(
      t =>
        t.group === 'rbac.authorization.k8s.io' && t.resource === roleResource,
    )!;
    const role = this.store.get(
      roleType,
      roleRef.kind === 'Role' ? namespace : undefined,
      roleRef.name ?? '',
    );
    const missing = role
      ? rulesNotHeld(grant.rules, role.rules ?? [], namespace)
      : [
          `${roleResource}.rbac.authorization.k8s.io "${roleRef.name}" not found`,
        ];
    if (missing.length === 0) return;
    throw forbiddenWithMessage(
      type,
      obj.metadata?.name,
      `user "${userOf(grant)}" (groups=["system:serviceaccounts" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n${missing.join('\n')}`,
    );
  }

  private checkImmutable(
    type: ResourceType,
    current: KubeObject,
    next: KubeObject,
  ): void {
    // apps/validation ValidateStatefulSetUpdate: volumeClaimTemplates, serviceName, selector… never change.
    if (
      type.resource === 'statefulsets' &&
      fixedStatefulSetSpec(current) !== fixedStatefulSetSpec(next)
    ) {
      throw invalid(type, current.metadata!.name, [
        {
          field: 'spec',
          message:
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', " +
            "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        },
      ]);
    }
    if (
      BINDINGS.has(type.resource) &&
      // The API server compares the RoleRef structs (apiGroup, kind, name), not the JSON's key order.
      ['apiGroup', 'kind', 'name'].some(
        k => (current.roleRef as any)?.[k] !== (next.roleRef as any)?.[k],
      )
    ) {
      throw invalid(type, current.metadata!.name, [
        { field: 'roleRef', message: 'Invalid value: cannot change roleRef' },
      ]);
    }
  }

  private create(
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    grant: TokenGrant,
    persist: boolean,
  ): KubeObject {
    if (obj?.metadata?.generateName && !obj.metadata.name) {
      obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    this.validateObject(type, obj, namespace);
    this.requireNamespace(namespace);
    const name = obj.metadata!.name;
    if (this.store.get(type, namespace, name)) throw alreadyExists(type, name);
    this.checkBindingEscalation(type, obj, namespace, grant);
    return this.store.create(
      type,
      {
        ...obj,
        metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) },
      },
      persist,
    );
  }

  private update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string | undefined,
    obj: KubeObject,
    grant: TokenGrant,
    persist: boolean,
  ): KubeObject {
    this.validateObject(type, obj, namespace);
    if (obj.metadata!.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata!.name}) does not match the name on the URL (${name})`,
      );
    }
    const current = this.mustGet(type, namespace, name);
    return this.write(type, current, obj, subresource, grant, persist);
  }

  /** The common end of update and patch: optimistic concurrency, immutable fields, escalation, store. */
  private write(
    type: ResourceType,
    current: KubeObject,
    next: KubeObject,
    subresource: string | undefined,
    grant: TokenGrant,
    persist: boolean,
  ): KubeObject {
    const expected = next.metadata?.resourceVersion;
    if (
      expected !== undefined &&
      expected !== '' &&
      expected !== current.metadata!.resourceVersion
    ) {
      throw conflict(type, current.metadata!.name);
    }
    // The status subresource changes status only; the main resource ignores status changes, as the real server does.
    const merged =
      subresource === 'status'
        ? { ...current, status: next.status }
        : { ...next, status: current.status };
    if (merged.status === undefined) delete merged.status;
    this.checkImmutable(type, current, merged);
    this.checkBindingEscalation(
      type,
      merged,
      current.metadata!.namespace,
      grant,
    );
    return this.store.update(type, current, merged, persist);
  }

  private patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    subresource: string | undefined,
    body: unknown,
    contentType: string,
    query: Record<string, string>,
    grant: TokenGrant,
    persist: boolean,
  ): { status: number; body: unknown } {
    const current = this.store.get(type, namespace, name);
    switch (contentType) {
      case 'application/json-patch+json':
      case 'application/merge-patch+json':
      case 'application/strategic-merge-patch+json':
        if (!current) throw notFound(type, name);
        return {
          status: 200,
          body: this.write(
            type,
            current,
            contentType === 'application/json-patch+json'
              ? applyJsonPatch(current, body)
              : applyMergePatch(current, body),
            subresource,
            grant,
            persist,
          ),
        };
      case 'application/apply-patch+yaml': {
        if (!query.fieldManager) {
          throw invalid(type, name, [
            {
              field: 'fieldManager',
              message: 'Required value: is required for apply patch',
            },
          ]);
        }
        const applied = body as KubeObject;
        if (
          applied?.metadata?.name !== undefined &&
          applied.metadata.name !== name
        ) {
          throw badRequest(
            `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
          );
        }
        if (!current) {
          return {
            status: 201,
            body: this.create(
              type,
              namespace,
              { ...applied, metadata: { ...applied?.metadata, name } },
              grant,
              persist,
            ),
          };
        }
        return {
          status: 200,
          body: this.write(
            type,
            current,
            applyMergePatch(current, applied),
            subresource,
            grant,
            persist,
          ),
        };
      }
      default:
        throw unsupportedMediaType(contentType);
    }
  }
}

/** A server that accepts connections and never answers: a hung API server, for timeout tests. */
export async function startSilentServer(): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const server = http.createServer(() => {
    /* never answers */
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** The URL of a loopback port nothing listens on (taken, then released): a dead API server. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
