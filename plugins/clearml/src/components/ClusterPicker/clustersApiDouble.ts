/**
 * A loopback stand-in for the clearml backend's `GET /api/clearml/v1/clusters`
 * (path, auth rule, Backstage error body), so the real ClearmlClient talks
 * HTTP in the field tests.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';

export interface ClustersApiDouble {
  baseUrl: string;
  requests: Array<{ path: string; authorization?: string }>;
  answer(
    clusters:
      ClusterSummary[] | { statusCode: number; name: string; message: string },
  ): void;
  close(): Promise<void>;
}

export async function startClustersApiDouble(): Promise<ClustersApiDouble> {
  let answer: Parameters<ClustersApiDouble['answer']>[0] = [];
  const requests: ClustersApiDouble['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    const send = (statusCode: number, body: unknown) => {
      res.writeHead(statusCode, {
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify(body));
    };
    const fail = (statusCode: number, name: string, message: string) =>
      send(statusCode, {
        error: { name, message },
        request: { method: req.method, url: req.url },
        response: { statusCode },
      });
    if (req.method !== 'GET' || url.pathname !== '/api/clearml/v1/clusters') {
      fail(404, 'NotFoundError', `No route for ${req.method} ${url.pathname}`);
    } else if (!req.headers.authorization?.startsWith('Bearer ')) {
      fail(401, 'AuthenticationError', 'Missing credentials');
    } else if (Array.isArray(answer)) {
      send(200, answer);
    } else {
      fail(answer.statusCode, answer.name, answer.message);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: a => {
      answer = a;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
