import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { promises as fs } from 'fs';
import path from 'path';

/**
 * Writes files below the workspace. Every path is resolved (and refused if it
 * would leave the workspace) before the first byte is written.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  files: ReadonlyArray<{ path: string; content: string }>,
): Promise<void> {
  const resolved = files.map(file => ({
    absolute: resolveSafeChildPath(workspacePath, file.path),
    content: file.content,
  }));
  for (const file of resolved) {
    await fs.mkdir(path.dirname(file.absolute), { recursive: true });
    await fs.writeFile(file.absolute, file.content, 'utf8');
  }
}

/** Joins a normalised workspace-relative directory (`.` for the root) and a file name. */
export function workspaceRelative(
  targetPath: string,
  fileName: string,
): string {
  return targetPath === '.' ? fileName : `${targetPath}/${fileName}`;
}
