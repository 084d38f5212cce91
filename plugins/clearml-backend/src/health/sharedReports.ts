/**
 * Health reports kept in Backstage's cache for `cacheSeconds`, and one check
 * at a time per key: concurrent requests for one tenant share its result. A
 * cache that fails is logged and bypassed, never an error of the check.
 */
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import type { HealthTarget } from '../target/healthTarget';

/** Everything a report depends on: entities that name the same tenant share one report. */
export function reportKey(target: HealthTarget): string {
  const gateway = target.appGateway
    ? `${target.appGateway.namespace}/${target.appGateway.release}`
    : '-';
  const gitops = target.gitops
    ? `${target.gitops.repoUrl}#${target.gitops.branch}`
    : '-';
  return `health:v2:${target.cluster}:${target.namespace}:${target.release}:${target.edition}:${gateway}:${target.tenant ?? '-'}:${gitops}`;
}

export class SharedReports<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly options: {
      cache: CacheService;
      cacheSeconds: number;
      logger: LoggerService;
    },
  ) {}

  /** The cached report, the one being made, or a fresh one from `run`. */
  get(key: string, run: () => Promise<T>): Promise<T> {
    let report = this.inFlight.get(key);
    if (!report) {
      report = this.cachedOrFresh(key, run).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, report);
    }
    return report;
  }

  private async cachedOrFresh(key: string, run: () => Promise<T>): Promise<T> {
    const { cache, cacheSeconds, logger } = this.options;
    if (cacheSeconds > 0) {
      const cached = await cache.get(key).catch(error => {
        logger.warn(`Health cache read failed: ${error}`);
        return undefined;
      });
      if (cached) return cached as unknown as T;
    }
    const report = await run();
    if (cacheSeconds > 0) {
      await cache
        .set(key, JSON.parse(JSON.stringify(report)), {
          ttl: cacheSeconds * 1000,
        })
        .catch(error => logger.warn(`Health cache write failed: ${error}`));
    }
    return report;
  }
}
