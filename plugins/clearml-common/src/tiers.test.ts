import { bytesOf, cpuMillis, formatBytes, formatCpu } from './quantities';
import { DEFAULT_TIERS } from './tiers';
import { resolveTiers } from './tierConfig';
import { tenantQuotaHard } from './tenantQuota';

describe('quantities', () => {
  it('reads CPU and memory as the API server does', () => {
    expect([
      cpuMillis('250m'),
      cpuMillis('2'),
      cpuMillis('1.5'),
      cpuMillis('0.1'),
    ]).toEqual([250, 2000, 1500, 100]);
    expect([
      bytesOf('512Mi'),
      bytesOf('1Gi'),
      bytesOf('1G'),
      bytesOf('100'),
    ]).toEqual([2 ** 29, 2 ** 30, 1e9, 100]);
    expect([
      formatCpu(1500),
      formatCpu(3000),
      formatBytes(6 * 2 ** 30),
      formatBytes(2 ** 29),
    ]).toEqual(['1500m', '3', '6Gi', '512Mi']);
  });
});

describe('resolveTiers', () => {
  it('gives the built-in tiers when none are configured, small first', () => {
    expect(resolveTiers(undefined).map(t => t.name)).toEqual([
      'small',
      'medium',
      'large',
    ]);
  });

  it('fills what a configured tier leaves out from the built-in tier of its name, or small', () => {
    const [gpu, medium] = resolveTiers([
      {
        name: 'gpu',
        title: 'GPU',
        taskPods: { count: 3, limits: { cpu: '8' } },
      },
      { name: 'medium', storage: { fileserver: '1Ti' } },
    ]);
    expect(gpu).toMatchObject({
      name: 'gpu',
      title: 'GPU',
      taskPods: { count: 3, limits: { cpu: '8', memory: '4Gi' } },
    });
    expect(gpu.containers).toEqual(DEFAULT_TIERS[0].containers);
    expect(medium.storage).toEqual({
      ...DEFAULT_TIERS[1].storage,
      fileserver: '1Ti',
    });
  });

  it.each([
    [[{ name: 'Big' }], 'clearml.tiers[0].name: must be a DNS-1123 label'],
    [
      [{ name: 'a' }, { name: 'a' }],
      "clearml.tiers[1].name: 'a' is listed twice",
    ],
    [
      [{ name: 'a', containers: { postgres: {} } }],
      'clearml.tiers[0].containers.postgres: unknown container',
    ],
    [
      [{ name: 'a', containers: { redis: { requests: { cpu: 'lots' } } } }],
      'clearml.tiers[0].containers.redis.requests.cpu: must be a Kubernetes quantity',
    ],
    [
      [{ name: 'a', containers: { redis: { requests: { memory: '8Gi' } } } }],
      'clearml.tiers[0].containers.redis.requests.memory: must not exceed limits.memory',
    ],
    [
      [{ name: 'a', storage: { mongodb: '0' } }],
      'clearml.tiers[0].storage.mongodb: must be a size',
    ],
    [
      [{ name: 'a', taskPods: { count: -1 } }],
      'clearml.tiers[0].taskPods.count: must be a whole number',
    ],
    [[], 'clearml.tiers: must be a non-empty list'],
  ])('refuses %j naming the key', (configured, message) => {
    expect(() => resolveTiers(configured)).toThrow(message);
  });
});

describe('tenantQuotaHard', () => {
  it("sums the chart's pods, one surging Deployment pod and the tier's task pods", () => {
    const small = DEFAULT_TIERS[0];
    const hard = tenantQuotaHard(small, {
      edition: 'oss',
      agent: true,
      appGateway: false,
    });
    // apiserver+asyncdelete 2x250m, fileserver 100m, webserver 100m, mongodb 250m, redis 100m, elasticsearch 500m,
    // agent 100m = 1650m; surge of the apiserver 250m; 2 task pods of 1 CPU.
    expect(hard['requests.cpu']).toBe('3900m');
    expect(hard.pods).toBe(String(8 + 1 + 2));
    expect(hard['requests.storage']).toBe('62Gi');
    expect(
      tenantQuotaHard(small, {
        edition: 'oss',
        agent: false,
        appGateway: false,
      })['requests.cpu'],
    ).toBe('3800m');
  });
});
