// The processor reads exactly the environment names of the job contract (PROCESSOR_ENV in @mass-ingest/contract):
// each name the settings reader owns changes the settings, and the source reads no other name by a literal.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROCESSOR_ENV } from "@mass-ingest/contract";
import { readSettings } from "../src/settings.js";
import { appDir, parseArgs } from "./helpers.js";

const caFile = path.join(mkdtempSync(path.join(os.tmpdir(), "processor-contract-")), "ca.pem");
writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

/** A valid value for each name the settings reader owns. */
const SAMPLES: Record<string, string> = {
  PUBLISH_URL: "https://repo.example.com/maven",
  PUBLISH_USER: "ingest",
  PUBLISH_PASSWORD: "p4ssword-value",
  PUBLISH_TOKEN: "t0ken-value",
  MODERNE_TENANT: "https://tenant.example.com",
  MODERNE_TOKEN: "moderne-t0ken",
  GIT_CREDENTIALS: "https://u:p@git.example.com\n",
  GIT_SSH_CREDENTIALS: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n",
  S3_ENDPOINT: "http://127.0.0.1:9000",
  S3_PROFILE: "ingest",
  S3_REGION: "eu-west-1",
  BUILD_TIMEOUT: "60",
  BUILD_UID_BASE: "61000",
  SYNC_TIMEOUT: "120",
  PUBLISH_TIMEOUT: "240",
  JOB_TIMEOUT: "3600",
  RUN_DEADLINE: "2026-12-03T05:00:00Z",
  BATCH_SIZE: "5",
  DATA_DIR: "/tmp/processor-contract-data",
  STATE_URL: "s3://state-bucket/prefix",
  MOD_CLI: "/opt/mod",
  MOD_MAVEN_REPOSITORY: "https://maven.example.com",
  MODW_CACHE_DIR: "/tmp/modw",
  PUBLISH_CA_FILE: caFile,
  PUBLISH_INSECURE: "true",
  SYNC_CONCURRENCY: "7",
  BUILD_CONCURRENCY: "3",
  PUBLISH_CONCURRENCY: "5",
  MAX_PENDING: "9",
  MOD_MONITOR_PORT: "9100",
  MOD_JAVA_OPTIONS: "-Xmx2g",
  METRICS_PORT: "9200",
};

/** Names read by other parts of the processor (or the image's entrypoint) than the settings reader, and where. */
const READ_ELSEWHERE: Record<string, string> = {
  CA_CERTS: "docker/entrypoint.sh imports them before the processor starts",
  CUSTOM_CI: "passed through to every `mod` call (pipeline)",
  DIAGNOSE_ON_START: "src/observe.ts",
  AWS_REGION: "the AWS SDK clients",
  LOG_LEVEL: "core's createLogger",
  STOP_GRACE: "src/main.ts: the bound on the wind-down after the first signal",
};

describe("the processor's settings reader and the job contract", () => {
  const names = Object.values(PROCESSOR_ENV).map((v) => v.name);

  it("knows every contract name: a sample for the settings reader's, a place for the others", () => {
    expect(names.filter((n) => !(n in SAMPLES) && !(n in READ_ELSEWHERE))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((n) => !names.includes(n))).toEqual([]);
    expect(Object.keys(READ_ELSEWHERE).filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(Object.keys(SAMPLES))("%s changes the settings", async (name) => {
    const { csv, flags } = await parseArgs([]);
    const memory = () => ({ bytes: 16 * 1024 ** 3, source: "cgroup memory.max" as const });
    const base = JSON.stringify(readSettings(csv, flags, {}, appDir, memory));
    const withIt = JSON.stringify(readSettings(csv, flags, { [name]: SAMPLES[name] }, appDir, memory));
    expect(withIt).not.toBe(base);
  });

  it("the source reads no environment variable by a literal name outside the contract (PATH and HOME aside)", () => {
    const files = readdirSync(path.join(appDir, "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const literal = /\b(?:env|process\.env)(?:\.([A-Z][A-Z0-9_]+)|\[["']([A-Z][A-Z0-9_]+)["']\])/g;
    const read = new Set<string>();
    for (const file of files)
      for (const m of readFileSync(path.join(appDir, "src", file), "utf8").matchAll(literal)) read.add(m[1] ?? m[2]!);
    expect([...read].filter((n) => !names.includes(n) && n !== "PATH" && n !== "HOME")).toEqual([]);
  });
});
