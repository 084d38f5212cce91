export { GithubApiDouble } from './GithubApiDouble';
export type {
  GithubInjectedFailure,
  PullRequestRecord,
  GithubRecordedRequest,
  GithubFixtureFile,
  GithubFixtureRepository,
} from './GithubApiDouble';
export type {
  CommitObject as GitCommitObject,
  FileMode as GitFileMode,
} from './gitObjects';
