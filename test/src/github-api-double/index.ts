export { GithubApiDouble } from './GithubApiDouble';
export type {
  InjectedFailure,
  PullRequestRecord,
  RecordedRequest,
  SeedFile,
  SeedRepository,
} from './GithubApiDouble';
export type { CommitObject, FileMode } from './gitObjects';
