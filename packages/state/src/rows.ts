/**
 * A repos.csv row as the state sees it: its key, its fingerprint, the csv's checksum and the Moderne CLI version.
 * The chunker and the processor both call these, so the key and fingerprint a processor records are the ones the
 * next selection compares.
 */
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { execa } from "execa";
import { StateError } from "./errors.js";
import { fingerprint, repoKey } from "./keys.js";

/** The fields of a csv row (`RepoRow` of @mass-ingest/partition) that decide its key and fingerprint. */
export interface StateRow {
  /** 1-based data-row number. */
  row: number;
  cloneUrl: string;
  branch?: string;
  changeset?: string;
  java?: string;
  jvmopts?: string;
  mavenArgs?: string;
  gradleArgs?: string;
}

/** `repoKey(cloneUrl, { branch, changeset })` of a row. */
export function rowKey(row: StateRow): string {
  return repoKey(row.cloneUrl, { ...(row.branch ? { branch: row.branch } : {}), ...(row.changeset ? { changeset: row.changeset } : {}) });
}

/** `fingerprint({ cliVersion, java, jvmOpts, mavenArgs, gradleArgs })` of a row built with `cliVersion`. */
export function rowFingerprint(row: StateRow, cliVersion: string): string {
  return fingerprint({ cliVersion, java: row.java, jvmOpts: row.jvmopts, mavenArgs: row.mavenArgs, gradleArgs: row.gradleArgs });
}

/** sha256 hex of a csv: a local path, or the chunks of a stream (s3://, https://: `openCsv` of core/aws). */
export async function csvSha256(source: string | AsyncIterable<string | Uint8Array>): Promise<string> {
  const hashed = hashingCsv(typeof source === "string" ? createReadStream(source) : source);
  for await (const _chunk of hashed.chunks);
  return hashed.sha256();
}

/**
 * The chunks of a csv stream, passed on unchanged while their sha256 is taken, so one read gives both what a parser
 * makes of them and {@link csvSha256}'s checksum. `sha256()` throws until the chunks were read to the end.
 */
export function hashingCsv(source: AsyncIterable<string | Uint8Array>): {
  chunks: AsyncIterable<string | Uint8Array>;
  sha256: () => string;
} {
  const hash = createHash("sha256");
  let digest: string | undefined;
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
    digest = hash.digest("hex");
  }
  return {
    chunks: chunks(),
    sha256: () => {
      if (digest === undefined) {
        throw new StateError("CSV_NOT_HASHED", "The csv's checksum was asked for before the csv was read to the end.", {
          exitCode: 1,
          hint: "Read hashingCsv's chunks to the end first (a bug of the caller).",
        });
      }
      return digest;
    },
  };
}

/** What a CLI that cannot report its version counts as (every fingerprint then differs from a known version's). */
export const UNKNOWN_CLI_VERSION = "unknown";

/**
 * The Moderne CLI's version: the first non-empty line of `<command> --version` (the fingerprint's `cliVersion`),
 * or {@link UNKNOWN_CLI_VERSION} when it cannot be run (within 60 s). Never throws.
 */
export async function cliVersion(command: string, env?: Readonly<Record<string, string | undefined>>): Promise<string> {
  try {
    const r = await execa(command, ["--version"], {
      reject: false,
      timeout: 60_000,
      stdin: "ignore",
      ...(env ? { env, extendEnv: true } : {}),
    });
    const line = String(r.stdout ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean);
    return r.exitCode === 0 && line ? line.slice(0, 200) : UNKNOWN_CLI_VERSION;
  } catch {
    return UNKNOWN_CLI_VERSION;
  }
}
