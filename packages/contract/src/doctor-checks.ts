/**
 * The doctor's check ids and thresholds, as plain values: `mass-ingest doctor --help` and the processor's
 * DIAGNOSE_ON_START name them without loading @mass-ingest/doctor (the AWS SDK, undici, the pipeline).
 * The doctor library's CHECK_IDS and DEFAULT_THRESHOLDS are these.
 */
const GIB = 1024 ** 3;

/** Every check id, in output order. */
export const DOCTOR_CHECK_IDS = [
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
] as const;

export type DoctorCheckId = (typeof DOCTOR_CHECK_IDS)[number];

/** The checks that concern one worker (not the state store: the chunker owns it). */
export const WORKER_CHECK_IDS: readonly DoctorCheckId[] = DOCTOR_CHECK_IDS.filter((id) => id !== "state-store");

/** Warn below 20 GiB free disk / 8 GiB memory, fail below 5 GiB / 4 GiB. */
export const DOCTOR_THRESHOLDS = {
  diskWarnBytes: 20 * GIB,
  diskFailBytes: 5 * GIB,
  memoryWarnBytes: 8 * GIB,
  memoryFailBytes: 4 * GIB,
} as const;
