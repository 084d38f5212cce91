export * from './gitlabClient';
export * from './gitlabErrors';
export * from './mergeRequestState';
export * from './publish';
export * from './target';
