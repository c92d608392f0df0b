/**
 * The Moderne CLI's repos-lock.csv, read by header: the columns are not fully documented and change between
 * versions, so every known column is optional and every other one is kept in `extra`. Seeding the state from it:
 * lock-import.ts.
 */
import { readFile } from "node:fs/promises";
import { StateError } from "./errors.js";

/** One repos-lock.csv row: the known columns (matched case-insensitively) and the rest verbatim. */
export interface ReposLockRow {
  /** 1-based data row. */
  row: number;
  cloneUrl?: string;
  origin?: string;
  path?: string;
  branch?: string;
  /** The commit built. */
  changeset?: string;
  /** Where the LST went; empty when the build or publish failed. */
  publishUri?: string;
  cliVersion?: string;
  /** `reproducible`: true / false; absent or unreadable = unknown. */
  reproducible?: boolean;
  /** A publish time column (its name is not documented: the first header naming publish + time/date/at). */
  publishedAt?: string;
  extra: Record<string, string>;
}

const KNOWN = ["cloneUrl", "origin", "path", "branch", "changeset", "publishUri", "cliVersion"] as const;

/** RFC 4180 records: quoted fields with commas, doubled quotes and line breaks; LF, CRLF or CR line ends. */
function records(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    rec.push(cell);
    cell = "";
  };
  const endRecord = () => {
    endCell();
    out.push(rec);
    rec = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell.length === 0) quoted = true;
    else if (c === ",") endCell();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else cell += c;
  }
  if (cell.length > 0 || rec.length > 0) endRecord();
  return out.filter((r) => r.some((f) => f.trim() !== ""));
}

function verdict(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}

/** Parse repos-lock.csv text by its header. Throws StateError LOCK_UNREADABLE without a cloneUrl or origin+path column. */
export function parseReposLock(text: string, where = "repos-lock.csv"): ReposLockRow[] {
  const [header, ...rows] = records(text.replace(/^\uFEFF/, ""));
  const names = (header ?? []).map((h) => h.trim());
  const lower = names.map((n) => n.toLowerCase());
  const at = (name: string) => lower.indexOf(name.toLowerCase());
  if (at("cloneUrl") < 0 && (at("origin") < 0 || at("path") < 0)) {
    throw new StateError(
      "LOCK_UNREADABLE",
      `${where} has no cloneUrl (or origin and path) column (found: ${names.join(", ") || "nothing"}).`,
      {
        exitCode: 2,
        hint: "Give the repos-lock.csv the Moderne CLI wrote (mod git sync csv / mod build / mod publish).",
      },
    );
  }
  const published = lower.findIndex((n) => n.includes("publish") && /(time|timestamp|date|at)$/.test(n));
  const reproducible = at("reproducible");
  const known = new Set([...KNOWN.map(at), published, reproducible].filter((i) => i >= 0));
  return rows.map((fields, i) => {
    const entry: ReposLockRow = { row: i + 1, extra: {} };
    for (const name of KNOWN) {
      const value = fields[at(name)]?.trim();
      if (at(name) >= 0 && value) entry[name] = value;
    }
    const verdictOf = verdict(fields[reproducible]);
    if (reproducible >= 0 && verdictOf !== undefined) entry.reproducible = verdictOf;
    const when = fields[published]?.trim();
    if (published >= 0 && when) entry.publishedAt = when;
    names.forEach((name, j) => {
      if (!known.has(j) && name) entry.extra[name] = fields[j] ?? "";
    });
    return entry;
  });
}

/** Read a repos-lock.csv file by header (see {@link parseReposLock}). */
export async function readReposLock(file: string): Promise<ReposLockRow[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new StateError("LOCK_UNREADABLE", `Cannot read ${file}: ${(error as Error).message}`, {
      exitCode: 2,
      hint: "Pass the path of an existing repos-lock.csv.",
      cause: error,
    });
  }
  return parseReposLock(text, file);
}
