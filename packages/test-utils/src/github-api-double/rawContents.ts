/**
 * GitHub's raw media type for the contents API: with
 * `Accept: application/vnd.github.v3.raw` (or `application/vnd.github.raw`)
 * a file is answered as its bytes instead of base64 JSON. Backstage's GitHub
 * URL reader asks this way when the catalog reads a `.../blob/<ref>/<path>`
 * location; directories are still JSON, as on GitHub.
 */
export interface RawAnswer {
  body: Buffer;
  headers: Record<string, string>;
}

export function wantsRaw(accept: string | undefined): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept ?? '');
}

/** The raw answer for a contents payload, or undefined when it is not a file. */
export function rawContents(payload: unknown): RawAnswer | undefined {
  const file = payload as
    | { type?: string; encoding?: string; content?: string; sha?: string }
    | undefined;
  if (
    !file ||
    Array.isArray(file) ||
    file.type !== 'file' ||
    file.encoding !== 'base64' ||
    file.content === undefined
  ) {
    return undefined;
  }
  return {
    body: Buffer.from(file.content, 'base64'),
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      etag: `"${file.sha}"`,
      'x-github-media-type': 'github.v3; param=raw',
    },
  };
}
