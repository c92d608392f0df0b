import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SECRET_ENV_NAMES } from "@mass-ingest/contract";
import { Redactor } from "@mass-ingest/core";
import { artifactStoreCheck } from "./checks/artifact-store.js";
import { CSV_CHECK, readCsvCheck } from "./checks/csv.js";
import { gitHostsCheck } from "./checks/git-hosts.js";
import { jdksCheck } from "./checks/jdks.js";
import { modCliCheck } from "./checks/mod-cli.js";
import { diskCheck, memoryCheck } from "./checks/resources.js";
import { resolveSecretsCheck, SECRETS_CHECK } from "./checks/secrets.js";
import { stateStoreCheck } from "./checks/state-store.js";
import { dataDirCheck } from "./checks/storage.js";
import { gitCheck, gitLfsCheck, sshCheck } from "./checks/tools.js";
import { dataDirOf, DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_CONCURRENCY, DEFAULT_THRESHOLDS } from "./defaults.js";
import { runChecks, runOne } from "./run-checks.js";
import type { Check, CheckResult, CheckStatus, CsvFacts, DoctorOptions, DoctorReport, DoctorSettings } from "./types.js";

/** The checks after the secrets and the csv, in output order. */
const CHECKS: readonly Check[] = [
  modCliCheck,
  jdksCheck,
  gitCheck,
  gitLfsCheck,
  sshCheck,
  diskCheck,
  memoryCheck,
  gitHostsCheck,
  artifactStoreCheck,
  stateStoreCheck,
  dataDirCheck,
];

/** Every check id, in output order. */
export const CHECK_IDS: readonly string[] = [SECRETS_CHECK.id, CSV_CHECK.id, ...CHECKS.map((c) => c.id)];

/** Every secret value to redact: the settings' raw and resolved values and the passwords in credential-store lines. */
function secretValues(...envs: Array<Readonly<Record<string, string | undefined>>>): string[] {
  const values: string[] = [];
  for (const env of envs) {
    for (const name of SECRET_ENV_NAMES) {
      const value = env[name];
      if (!value) continue;
      values.push(value);
      for (const line of value.split(/\r?\n/)) {
        const password = /^[a-z][a-z0-9+.-]*:\/\/[^/:@]*:([^@/]+)@/i.exec(line.trim())?.[1];
        if (password) values.push(password, decodeURIComponent(password));
      }
    }
  }
  return values;
}

function redacted(result: CheckResult, redactor: Redactor): CheckResult {
  return { ...result, detail: redactor.redact(result.detail), ...(result.fix ? { fix: redactor.redact(result.fix) } : {}) };
}

/** Counts by status and the exit code (1 when any check failed). */
export function summarize(checks: CheckResult[]): DoctorReport {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { checks, counts, exitCode: counts.fail > 0 ? 1 : 0 };
}

/**
 * Check a set-up before a night depends on it: resolve the secrets, read the csv, then run every other check
 * with bounded concurrency and a timeout each. Never throws for what it finds; secrets are redacted in every line.
 */
export async function runDoctor(settings: DoctorSettings, options: DoctorOptions = {}): Promise<DoctorReport> {
  const wanted = (id: string) => !options.only || options.only.includes(id);
  const tempDir = await mkdtemp(path.join(os.tmpdir(), "mass-ingest-doctor-"));
  try {
    const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    const base = {
      settings,
      env: settings.env,
      dataDir: dataDirOf(settings.dataDir, settings.env),
      thresholds: { ...DEFAULT_THRESHOLDS, ...settings.thresholds },
      options,
      tempDir,
    };
    // The secrets and the csv come first: the other checks use the resolved settings and the csv's rows.
    let resolved: { env: Record<string, string | undefined>; values: string[] } = { env: { ...settings.env }, values: [] };
    let facts: CsvFacts | undefined;
    const secretsCheck: Check = {
      ...SECRETS_CHECK,
      run: async () => {
        const r = await resolveSecretsCheck(base);
        resolved = r;
        return r.outcome;
      },
    };
    const csvCheck: Check = {
      ...CSV_CHECK,
      run: async () => {
        const r = await readCsvCheck(base);
        facts = r.facts;
        return r.outcome;
      },
    };
    const secrets = await runOne(secretsCheck, base, timeoutMs, options.signal);
    const csv = await runOne(csvCheck, base, timeoutMs, options.signal);
    const redactor = new Redactor([...secretValues(settings.env, resolved.env), ...resolved.values]);
    const context = { ...base, env: resolved.env, dataDir: dataDirOf(settings.dataDir, resolved.env), ...(facts ? { csv: facts } : {}) };
    const results = await runChecks(
      CHECKS.filter((c) => wanted(c.id)),
      context,
      { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const first = [secrets, csv].filter((c) => wanted(c.id));
    return summarize([...first, ...results].map((r) => redacted(r, redactor)));
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}
