export { GITLAB_ACCESS, GitlabApiDouble } from './GitlabApiDouble';
export type {
  GitlabFixtureProject,
  GitlabInjectedFailure,
  GitlabProtectedBranchFixture,
  GitlabRecordedRequest,
  GitlabTokenFixture,
  MergeRequestRecord,
} from './GitlabApiDouble';
