/** What a shared view holds and what its lists cost, for the benchmark (scripts/benchmark.ts). */
import { Informer } from './Informer';

export interface ViewSize {
  objects: number;
  /** The objects' size as JSON. */
  bytes: number;
  /** Their size as held (packed). */
  heldBytes: number;
  /** Lists made: all, and those a 410 Gone caused. */
  lists: number;
  expiredRelists: number;
}

export function viewSize(informers: Informer[]): ViewSize {
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
