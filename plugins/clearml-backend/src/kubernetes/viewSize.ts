/** What a shared view holds and what its lists cost, for the benchmark (scripts/benchmark/). */
import { Informer } from './Informer';

/**
 * Objects held, their size as JSON and as held (packed), and the lists made (all, and those a 410 Gone caused).
 * Its type stays unnamed so that callers outside the package infer it without naming this module.
 */
export function viewSize(informers: Informer[]): {
  objects: number;
  bytes: number;
  heldBytes: number;
  lists: number;
  expiredRelists: number;
} {
  let objects = 0;
  let bytes = 0;
  let heldBytes = 0;
  let lists = 0;
  let expiredRelists = 0;
  for (const informer of informers) {
    lists += informer.lists;
    expiredRelists += informer.expiredRelists;
    heldBytes += informer.heldBytes();
    for (const o of informer.list()) {
      objects++;
      bytes += JSON.stringify(o).length;
    }
  }
  return { objects, bytes, heldBytes, lists, expiredRelists };
}
