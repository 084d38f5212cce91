/**
 * A loopback stand-in for a tenant's public ClearML endpoints behind the
 * OpenShift router: the apiserver's `/debug.ping`, the fileserver's `/`
 * (200 `OK`, or 405 on servers before 1.10) and the webserver's `/`,
 * answered the way ClearML answers them (docs/openshift-and-clearml.md#endpoints). The public host
 * is taken from `X-Forwarded-Host` (else `Host`), so one server plays every
 * tenant host: `api.*`, `files.*`, `app.*` or `<prefix>-api.*`, `<prefix>-files.*`, `<prefix>-app.*`.
 *
 * Authentication as clearml-server does it (apiserver/service_repo/auth/auth.py,
 * apierrors/errors.conf): `auth.login` takes Basic `access_key:secret_key`,
 * knows only the credentials it was started with (the `secure.credentials`
 * entries of its environment, see {@link clearmlServerConfigFromEnv}) and
 * answers 401 `failed to locate provided credentials` to any other; the token
 * it returns is an HS256 JWT signed with its `secure.auth.token_secret`, which
 * `users.get_current_user` verifies.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A `secure.credentials` entry of the apiserver's config. */
export interface ClearmlCredential {
  /** The entry's name, e.g. `services_agent`; the server names the user after it. */
  name: string;
  key: string;
  secret: string;
  role?: string;
}

export interface ClearmlServerConfig {
  credentials: ClearmlCredential[];
  /** `secure.auth.token_secret`: signs and verifies tokens. */
  tokenSecret: string;
}

/**
 * The auth config the apiserver reads from its environment: every
 * `CLEARML__secure__credentials__<entry>__user_key`/`__user_secret` pair (names
 * are case-insensitive, `__` separates levels: apiserver/config/basic.py) and
 * `CLEARML__secure__auth__token_secret`. Entries without both values create no
 * credential (apiserver/mongo/initialize/user.py).
 */
export function clearmlServerConfigFromEnv(
  env: Record<string, string | undefined>,
): ClearmlServerConfig {
  const entries = new Map<string, { key?: string; secret?: string }>();
  let tokenSecret = '';
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const path = name.toLowerCase().split('__');
    if (path[0] !== 'clearml' && path[0] !== 'trains') continue;
    const key = path.slice(1).join('.');
    if (key === 'secure.auth.token_secret') tokenSecret = value;
    const match = /^secure\.credentials\.([^.]+)\.(user_key|user_secret)$/.exec(
      key,
    );
    if (!match) continue;
    const entry = entries.get(match[1]) ?? {};
    if (match[2] === 'user_key') entry.key = value;
    else entry.secret = value;
    entries.set(match[1], entry);
  }
  const credentials = [...entries]
    .filter(([, e]) => e.key && e.secret)
    .map(([name, e]) => ({ name, key: e.key!, secret: e.secret! }));
  return { credentials, tokenSecret };
}

const base64url = (data: Buffer | string) =>
  Buffer.from(data).toString('base64url');

function signJwt(payload: Record<string, unknown>, secret: string): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${head}.${base64url(createHmac('sha256', secret).update(head).digest())}`;
}

function verifyJwt(
  token: string,
  secret: string,
): Record<string, any> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret)
    .update(`${header}.${payload}`)
    .digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
    return undefined;
  return claims;
}

/** The host's role: the first label, or its last `-` part (`clearml-acme-api.apps…` → `api`). */
function hostRole(host: string): string {
  const label = host.split('.')[0];
  return label.slice(label.lastIndexOf('-') + 1);
}

export type ClearmlEndpointRole = 'api' | 'files' | 'app';

export interface ClearmlServerDoubleRequest {
  method: string;
  host: string;
  path: string;
}

export class ClearmlServerDouble {
  readonly requests: ClearmlServerDoubleRequest[] = [];
  /** Per host: answer with this status instead (e.g. 503, as the router does with no ready endpoint). */
  private readonly overrides = new Map<string, number>();
  /** Hosts that accept the connection and never answer (a hung pod). */
  private readonly silent = new Set<string>();
  private fileserverStatus = 200;
  private server!: http.Server;
  private baseUrl = '';
  private auth: ClearmlServerConfig = {
    credentials: [],
    tokenSecret: randomBytes(24).toString('hex'),
  };

  static async start(
    options: {
      legacyFileserver?: boolean;
      /** What the apiserver was started with; default: no credentials, a random token secret. */
      auth?: ClearmlServerConfig;
    } = {},
  ): Promise<ClearmlServerDouble> {
    const double = new ClearmlServerDouble();
    if (options.legacyFileserver) double.fileserverStatus = 405;
    if (options.auth) {
      if (!options.auth.tokenSecret)
        throw new Error(
          'the apiserver needs secure.auth.token_secret to sign tokens',
        );
      double.auth = options.auth;
    }
    double.server = http.createServer((req, res) => double.handle(req, res));
    await new Promise<void>(resolve =>
      double.server.listen(0, '127.0.0.1', resolve),
    );
    double.baseUrl = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
    return double;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Makes a host answer every request with `status`. */
  answer(host: string, status: number): void {
    this.overrides.set(host, status);
  }

  /** Makes a host never answer. */
  hang(host: string): void {
    this.silent.add(host);
  }

  /**
   * A `fetch` that sends what would go to `https://<host>/<path>` to this
   * server instead, naming the host in `X-Forwarded-Host`: how tests reach
   * Route hosts that have no DNS.
   */
  fetchVia(): (url: string, init?: RequestInit) => Promise<Response> {
    return (url, init) => {
      const target = new URL(url);
      const headers = new Headers(init?.headers);
      headers.set('x-forwarded-host', target.host);
      return fetch(`${this.baseUrl}${target.pathname}${target.search}`, {
        ...init,
        headers,
      });
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = String(
      req.headers['x-forwarded-host'] ?? req.headers.host ?? '',
    ).replace(/:\d+$/, '');
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    this.requests.push({ method: req.method ?? 'GET', host, path });
    if (this.silent.has(host)) return;
    const override = this.overrides.get(host);
    if (override) {
      res.writeHead(override, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>${override}</h1></body></html>`);
      return;
    }
    const role = hostRole(host);
    const endpoint = path.replace(/^\/v\d+\.\d+\//, '/');
    if (role === 'api' && endpoint === '/auth.login') {
      this.login(req, res);
      return;
    }
    if (role === 'api' && endpoint === '/users.get_current_user') {
      this.currentUser(req, res);
      return;
    }
    if (role === 'api' && path === '/debug.ping') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          meta: {
            id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
            trx: 'c0ffee00c0ffee00c0ffee00c0ffee00',
            endpoint: {
              name: 'debug.ping',
              requested_version: '2.31',
              actual_version: '1.0',
            },
            result_code: 200,
            result_subcode: 0,
            result_msg: 'OK',
            error_stack: '',
            error_data: {},
          },
          data: { msg: 'ClearML server' },
        }),
      );
      return;
    }
    if (role === 'files' && path === '/') {
      res.writeHead(this.fileserverStatus, { 'content-type': 'text/plain' });
      res.end(this.fileserverStatus === 200 ? 'OK' : 'Method Not Allowed');
      return;
    }
    if (role === 'app' && (path === '/' || path === '/version.json')) {
      const json = path === '/version.json';
      res.writeHead(200, {
        'content-type': json ? 'application/json' : 'text/html',
      });
      res.end(
        json
          ? JSON.stringify({ version: '1.17.1' })
          : '<!doctype html><html><head><title>ClearML</title></head><body></body></html>',
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  }

  /** Who a Basic header names, or the 401 clearml-server answers. */
  private authenticate(
    header: string | undefined,
  ): { credential: ClearmlCredential } | { subcode: number; msg: string } {
    if (!header)
      return { subcode: 20, msg: 'unauthorized (missing credentials)' };
    const [scheme, data = ''] = header.split(' ');
    if (scheme.toLowerCase() !== 'basic')
      return {
        subcode: 10,
        msg: 'unauthorized (bad authentication header type)',
      };
    const decoded = Buffer.from(data, 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const credential = this.auth.credentials.find(
      c => c.key === key && c.secret === secret,
    );
    if (!credential)
      return {
        subcode: 22,
        msg: 'unauthorized (invalid credentials) (failed to locate provided credentials)',
      };
    return { credential };
  }

  private login(req: http.IncomingMessage, res: http.ServerResponse): void {
    const result = this.authenticate(req.headers.authorization);
    if (!('credential' in result)) {
      this.apiReply(res, 'auth.login', 401, result.subcode, result.msg, {});
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        identity: {
          user: `__${result.credential.name}__`,
          user_name: result.credential.name,
          company: 'd1bd92a3b039400cbafc60a7a5b1e52b',
          role: result.credential.role ?? 'admin',
        },
        env: 'helm-cloud',
        iat: now,
        exp: now + 30 * 24 * 3600,
      },
      this.auth.tokenSecret,
    );
    this.apiReply(res, 'auth.login', 200, 0, 'OK', { token });
  }

  private currentUser(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    const header = req.headers.authorization ?? '';
    let name: string | undefined;
    if (/^bearer /i.test(header)) {
      const claims = verifyJwt(header.slice(7).trim(), this.auth.tokenSecret);
      if (!claims) {
        this.apiReply(
          res,
          'users.get_current_user',
          401,
          30,
          'invalid token (invalid jwt token): reason=Signature verification failed',
          {},
        );
        return;
      }
      name = claims.identity?.user_name;
    } else {
      const result = this.authenticate(header || undefined);
      if (!('credential' in result)) {
        this.apiReply(
          res,
          'users.get_current_user',
          401,
          result.subcode,
          result.msg,
          {},
        );
        return;
      }
      name = result.credential.name;
    }
    this.apiReply(res, 'users.get_current_user', 200, 0, 'OK', {
      user: { id: `__${name}__`, name },
    });
  }

  /** clearml-server's JSON envelope: `meta` with the result codes, `data`. */
  private apiReply(
    res: http.ServerResponse,
    endpoint: string,
    code: number,
    subcode: number,
    msg: string,
    data: Record<string, unknown>,
  ): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        meta: {
          id: randomBytes(16).toString('hex'),
          trx: randomBytes(16).toString('hex'),
          endpoint: {
            name: endpoint,
            requested_version: '2.31',
            actual_version: '1.0',
          },
          result_code: code,
          result_subcode: subcode,
          result_msg: msg,
          error_stack: '',
          error_data: {},
        },
        data,
      }),
    );
  }
}
