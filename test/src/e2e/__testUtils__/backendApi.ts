/**
 * How the end-to-end and security suites talk to a test backend: JSON over
 * HTTP with a user's Backstage token, bounded polling, and the real template
 * run through the scaffolder's tasks API as the form submits it.
 */
import { AddressInfo } from 'net';
import type {
  BackendFeature,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- this test package runs the real backend plugin, through its public entry
import clearmlBackendPlugin from '@clearml-openshift/plugin-clearml-backend';
import scaffolderModuleClearml from '@clearml-openshift/plugin-scaffolder-backend-module-clearml';
import { releaseDatabasesOnStop } from '@internal/clearml-test-utils';
import type { E2eWorld } from '../fixtures';

export interface ApiResponse {
  status: number;
  body: any;
}

/** A request to the backend as one user; the body is parsed when it is JSON. */
export type BackendApi = (
  urlPath: string,
  init?: RequestInit,
) => Promise<ApiResponse>;

/** Requests to `baseUrl()` with `user`'s token (the default mock user when absent). */
export function backendApi(baseUrl: () => string, user?: string): BackendApi {
  const authorization = mockCredentials.user.header(user);
  return async (urlPath, init = {}) => {
    const response = await fetch(`${baseUrl()}${urlPath}`, {
      ...init,
      headers: {
        Authorization: authorization,
        'Content-Type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  };
}

/** Polls until `probe` returns a value (a throw counts as not yet), at most `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(r => setTimeout(r, 250));
  }
}

export interface TaskResult {
  /** The task as `GET /v2/tasks/:id` returns it once it ended. */
  task: any;
  status: string;
  /** Every log message of the task, one per line. */
  log: string;
  /** The template's output, when the task completed. */
  output: any;
}

/** Runs the New ClearML tenant template with `values` and waits (bounded) for the task to end. */
export async function runTenantTemplate(
  api: BackendApi,
  values: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<TaskResult> {
  return runTemplate(api, 'template:default/clearml-tenant', values, timeoutMs);
}

/** Runs a template of the catalog with `values` and waits (bounded) for the task to end. */
export async function runTemplate(
  api: BackendApi,
  templateRef: string,
  values: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<TaskResult> {
  const created = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef, values }),
  });
  if (created.status !== 201) {
    throw new Error(
      `POST /v2/tasks answered ${created.status}: ${JSON.stringify(created.body)}`,
    );
  }
  const id = created.body.id;
  const task = await eventually(
    `task ${id}`,
    async () => {
      const { body } = await api(`/api/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(body.status)
        ? body
        : undefined;
    },
    timeoutMs,
  );
  const events = (await api(`/api/scaffolder/v2/tasks/${id}/events`))
    .body as any[];
  return {
    task,
    status: task.status,
    log: events
      .map(e => e.body?.message)
      .filter(Boolean)
      .join('\n'),
    output: events.find(e => e.type === 'completion')?.body?.output,
  };
}

/**
 * A backend with the catalog, the scaffolder with the ClearML module and the
 * clearml backend on `world`'s config (plus `extra` features, e.g. a
 * permissions service), once the tenant template is in the catalog.
 */
export async function startTenantBackend(
  world: E2eWorld,
  extra: Array<BackendFeature | ServiceFactory> = [],
): Promise<{ backend: TestBackend; baseUrl: string }> {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      scaffolderEntityModelModule,
      scaffolderPlugin,
      scaffolderModuleClearml,
      clearmlBackendPlugin,
      ...releaseDatabasesOnStop('catalog', 'scaffolder'),
      ...extra,
      mockServices.rootConfig.factory({ data: world.config }),
    ],
  });
  const baseUrl = `http://localhost:${(backend.server.address() as AddressInfo).port}`;
  const api = backendApi(() => baseUrl);
  await eventually('the template and the people in the catalog', async () =>
    (await api('/api/catalog/entities/by-name/template/default/clearml-tenant'))
      .status === 200 &&
    (await api('/api/catalog/entities/by-name/user/default/mock')).status ===
      200
      ? true
      : undefined,
  );
  return { backend, baseUrl };
}
