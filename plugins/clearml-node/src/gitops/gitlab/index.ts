export * from './gitlabClient';
export * from './gitlabErrors';
export * from './mergeRequestState';
