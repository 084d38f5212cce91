/**
 * A loopback stand-in for the `clearml` backend's health route, with its path,
 * query, auth rule and Backstage error bodies, so the real ClearmlClient and
 * the card talk real HTTP in tests.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  FleetTenant,
  TenantHealth,
} from '@clearml-openshift/plugin-clearml-common';

export interface BackendError {
  statusCode: number;
  name: string;
  message: string;
}

export type HealthAnswer = TenantHealth | BackendError;

export interface HealthApiDouble {
  /** What to give as `baseUrl` to discovery: the backend answers under `<baseUrl>/api/clearml`. */
  baseUrl: string;
  /** Every request the double received. */
  requests: Array<{
    path: string;
    entityRef: string | null;
    authorization?: string;
  }>;
  /** What the backend answers for an entity ref; unknown refs get 404. */
  answer(entityRef: string, answer: HealthAnswer): void;
  /** What `GET /v1/tenants` answers (the fleet). */
  answerTenants(items: FleetTenant[]): void;
  /** Holds back answers until the returned function is called (to see the loading state). */
  hold(): () => void;
  close(): Promise<void>;
}

function isError(answer: HealthAnswer): answer is BackendError {
  return 'statusCode' in answer;
}

export async function startHealthApiDouble(): Promise<HealthApiDouble> {
  const answers = new Map<string, HealthAnswer>();
  let tenants: FleetTenant[] = [];
  const requests: HealthApiDouble['requests'] = [];
  let held: Promise<void> = Promise.resolve();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entityRef = url.searchParams.get('entityRef');
    requests.push({
      path: url.pathname,
      entityRef,
      authorization: req.headers.authorization,
    });
    await held;

    const send = (statusCode: number, body: unknown) => {
      res.writeHead(statusCode, {
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(body));
    };
    // The shape of Backstage's error handler (`errorHandler()` in backend-defaults).
    const fail = (statusCode: number, name: string, message: string) =>
      send(statusCode, {
        error: { name, message },
        request: { method: req.method, url: req.url },
        response: { statusCode },
      });

    if (
      req.method === 'GET' &&
      url.pathname === '/api/clearml/v1/tenants' &&
      req.headers.authorization?.startsWith('Bearer ')
    ) {
      send(200, { items: tenants });
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/api/clearml/v1/health') {
      fail(404, 'NotFoundError', `No route for ${req.method} ${url.pathname}`);
      return;
    }
    if (!req.headers.authorization?.startsWith('Bearer ')) {
      fail(401, 'AuthenticationError', 'Missing credentials');
      return;
    }
    try {
      parseEntityRef(entityRef ?? '');
    } catch {
      fail(400, 'InputError', `Invalid entityRef '${entityRef ?? ''}'`);
      return;
    }
    const answer = answers.get(entityRef!);
    if (!answer) {
      fail(404, 'NotFoundError', `Entity ${entityRef} not found`);
    } else if (isError(answer)) {
      fail(answer.statusCode, answer.name, answer.message);
    } else {
      send(200, answer);
    }
  });

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answer: (entityRef, answer) => answers.set(entityRef, answer),
    answerTenants: items => {
      tenants = items;
    },
    hold() {
      let release!: () => void;
      held = new Promise(resolve => (release = resolve));
      return () => release();
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
