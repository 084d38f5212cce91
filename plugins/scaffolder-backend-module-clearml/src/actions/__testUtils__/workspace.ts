import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';

type Handler = { handler(ctx: any): Promise<void> };

/**
 * A fresh temporary workspace for each test of the enclosing `describe`, removed
 * afterwards, and a way to run an action's handler in it the way the scaffolder does.
 */
export function temporaryWorkspace(prefix: string) {
  let current = '';
  beforeEach(async () => {
    current = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    await fs.rm(current, { recursive: true, force: true });
  });
  return {
    get path(): string {
      return current;
    },
    /** Every file and folder below the workspace, sorted. */
    async list(): Promise<string[]> {
      return (await fs.readdir(current, { recursive: true }))
        .map(String)
        .sort();
    },
    /** Runs the handler (`createMockActionContext` ignores isDryRun, so it is spread in) and returns its outputs. */
    async run(
      action: Handler,
      input: Record<string, unknown>,
      extra: { isDryRun?: boolean } = {},
    ) {
      const ctx = {
        ...createMockActionContext({
          input: input as any,
          workspacePath: current,
        }),
        ...extra,
      };
      await action.handler(ctx);
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls) as Record<
        string,
        any
      >;
    },
    /** Expects the handler to refuse the input with an InputError naming `field`, having written nothing. */
    async expectRefused(
      action: Handler,
      input: Record<string, unknown>,
      field: string,
    ) {
      const error = await this.run(action, input).then(
        () => undefined,
        e => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        new RegExp(`(^|[:;] )${field.replace('.', '\\.')}: `),
      );
      expect(await this.list()).toEqual([]);
    },
  };
}
