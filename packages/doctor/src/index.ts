/**
 * @mass-ingest/doctor: check a mass-ingest set-up before a night depends on it. `runDoctor` runs every check
 * (Moderne CLI, JDKs, git tools, disk and memory, repos.csv, git hosts, artifact store, secrets, state store,
 * DATA_DIR) and returns pass / warn / fail / skip with what to do; `formatReport` prints it.
 */
export { CHECK_IDS, runDoctor } from "./doctor.js";
export { DEFAULT_THRESHOLDS } from "./defaults.js";
export { formatReport, formatReportJson } from "./format.js";
export type { CheckResult, CheckStatus, DoctorOptions, DoctorReport, DoctorSettings, Thresholds } from "./types.js";
