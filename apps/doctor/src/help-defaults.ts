/**
 * What `--help` and the flag parsers need from @mass-ingest/doctor, as plain values: the library loads the AWS SDK,
 * undici and the pipeline, which `--help` must not wait for (main.ts loads it when a check runs).
 * test/help-defaults.test.ts keeps these equal to the library's CHECK_IDS and DEFAULT_THRESHOLDS.
 */
const GIB = 1024 ** 3;

export const CHECK_IDS: readonly string[] = [
  "secrets",
  "csv",
  "mod-cli",
  "jdks",
  "git",
  "git-lfs",
  "ssh",
  "disk",
  "memory",
  "git-hosts",
  "artifact-store",
  "state-store",
  "data-dir",
];

export const DEFAULT_THRESHOLDS = {
  diskWarnBytes: 20 * GIB,
  diskFailBytes: 5 * GIB,
  memoryWarnBytes: 8 * GIB,
  memoryFailBytes: 4 * GIB,
} as const;
