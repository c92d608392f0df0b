import type { AwsClientOptions } from "@mass-ingest/core/aws";
import type { RepoRow, ValidationIssue } from "@mass-ingest/partition";

/** pass: fine. warn: works, but look at it. fail: a night would fail here. skip: not configured, nothing checked. */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** What one check found: one line of output. */
export interface CheckResult {
  /** Stable id, e.g. "git-hosts". */
  id: string;
  /** What was checked, for people, e.g. "git hosts". */
  title: string;
  status: CheckStatus;
  /** What was found (redacted). */
  detail: string;
  /** What to do (fail and warn only). */
  fix?: string;
}

/** Free disk and memory limits (bytes): below warn -> warn, below fail -> fail. */
export interface Thresholds {
  diskWarnBytes: number;
  diskFailBytes: number;
  memoryWarnBytes: number;
  memoryFailBytes: number;
}

/** The set-up to check: the processor's own settings. */
export interface DoctorSettings {
  /** repos.csv: a path, s3://bucket/key or http(s):// URL. Unset: the csv, JDK and git host checks are skipped. */
  csv?: string;
  /**
   * The processor's environment (the names of PROCESSOR_ENV in @mass-ingest/contract: PUBLISH_URL, PUBLISH_USER,
   * GIT_CREDENTIALS, S3_*, DATA_DIR, MOD_CLI, ...). Values may be Secrets Manager ARNs; they are resolved first.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** Work directory; default the env's DATA_DIR, else `./.data`. */
  dataDir?: string;
  /** The state store: a directory or s3://bucket/prefix. Unset: skipped. */
  stateUrl?: string;
  /** Folders holding JDKs, one per subfolder (default /usr/lib/jvm, /opt/java). */
  jdkRoots?: readonly string[];
  /** Extra JDK homes (JAVA_HOME is always looked at). */
  jdkHomes?: readonly string[];
  thresholds?: Partial<Thresholds>;
  /** Accept file:// clone URLs in the csv (tests and local use). */
  allowFileUrls?: boolean;
}

/** How the doctor runs. */
export interface DoctorOptions {
  /** Checks at once (default 4). */
  concurrency?: number;
  /** Time one check may take before it fails as timed out (ms, default 60 000). */
  checkTimeoutMs?: number;
  /** Time one `git ls-remote` may take (ms, default 30 000). */
  lsRemoteTimeoutMs?: number;
  /** AWS client settings for S3 and Secrets Manager (endpoint, region, credentials); default the AWS environment. */
  aws?: AwsClientOptions;
  /** Stop early (e.g. SIGTERM). */
  signal?: AbortSignal;
  /** Run only these checks (ids, see CHECK_IDS); default all. */
  only?: readonly string[];
  /** Environment of child processes (git, mod, java); default process.env. */
  processEnv?: Readonly<Record<string, string | undefined>>;
}

/** What runDoctor returns. */
export interface DoctorReport {
  checks: CheckResult[];
  counts: Record<CheckStatus, number>;
  /** 0 when nothing failed, 1 otherwise. */
  exitCode: 0 | 1;
}

/** The csv as read by the csv check, for the checks that depend on it. */
export interface CsvFacts {
  repos: RepoRow[];
  issues: ValidationIssue[];
  rowCount: number;
}

/** What every check gets. */
export interface CheckContext {
  settings: DoctorSettings;
  /** The environment with Secrets Manager references resolved (unresolvable ones left out). */
  env: Readonly<Record<string, string | undefined>>;
  dataDir: string;
  thresholds: Thresholds;
  options: DoctorOptions;
  /** The csv's rows; undefined when there is no csv or it could not be read. */
  csv?: CsvFacts;
  /** Aborted at the check's timeout or when the run stops. */
  signal: AbortSignal;
  /** Temporary folder for credential files and probes; removed at the end. */
  tempDir: string;
}

/** One check: a small module with one job. */
export interface Check {
  id: string;
  title: string;
  run(context: CheckContext): Promise<Omit<CheckResult, "id" | "title">>;
}
