// The GitOps repository module: targets (local bare repositories, GitHub), their reads and writes.
export * from './change';
export * from './targets';
export * from './reader';
export * from './local/reader';
export * from './github/reader';
export * from './stage';
export * from './localTargets';
export * from './gitopsRepositories';
export * from './local/repository';
export * from './local/commit';
export * from './local/refs';
export * from './local/publish';
export * from './local/target';
export * from './github/client';
export * from './github/publish';
export * from './github/target';
export * from './gitlab';
