import { ERROR_CODES, PartitionError } from "./errors.js";
import type { HeaderInfo } from "./types.js";

/** The known repos.csv columns (lower-cased name -> RepoRow property). */
export const KNOWN_COLUMNS = {
  cloneurl: "cloneUrl",
  branch: "branch",
  origin: "origin",
  path: "path",
  alternatecloneurl: "alternateCloneUrl",
  changeset: "changeset",
  java: "java",
  jvmopts: "jvmopts",
  mavenargs: "mavenArgs",
  gradleargs: "gradleArgs",
} as const;

type KnownProperty = (typeof KNOWN_COLUMNS)[keyof typeof KNOWN_COLUMNS];

/** Where each column sits in a record (-1 when absent), resolved once per file. */
export interface Layout {
  names: string[];
  index: Record<KnownProperty, number>;
  /** Indexes of org1..orgN columns, ordered by N. */
  orgs: number[];
  /** Indexes of the alternateCloneUrl columns, in header order (the column may repeat). */
  alternates: number[];
  /** Unknown columns: [index, name]. */
  extras: Array<[number, string]>;
  info: HeaderInfo;
}

/** Edit distance (insertions, deletions, substitutions) of two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** What to do about a header without cloneUrl: a semicolon-separated file, a near miss ("did you mean"), or add it. */
function missingCloneUrlHint(names: string[]): string {
  if (names.some((n) => n.includes(";"))) {
    return 'The header looks semicolon-separated; repos.csv is comma-separated: save it with "," as the separator (e.g. "cloneUrl,branch").';
  }
  const near = names.find((n) => n && distance(n.toLowerCase().replace(/[\s_-]/g, ""), "cloneurl") <= 2);
  if (near !== undefined) return `Did you mean "cloneUrl"? The header has "${near}"; rename that column to cloneUrl.`;
  return 'The first non-blank line must be a header naming the columns, with at least "cloneUrl".';
}

/** Build the column layout from the header record; throws for a missing cloneUrl or a repeated column. */
export function layoutFromHeader(fields: string[], line: number): Layout {
  const names = fields.map((f) => f.trim());
  const index = {} as Record<KnownProperty, number>;
  for (const prop of Object.values(KNOWN_COLUMNS)) index[prop] = -1;
  const orgs: Array<[number, number]> = [];
  const extras: Array<[number, string]> = [];
  const alternates: number[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.length === 0) return; // unnamed column (e.g. a trailing comma): ignored
    const lower = name.toLowerCase();
    if (lower === "alternatecloneurl") {
      // repos.csv allows this column more than once: one fallback URL per column, tried in order
      if (alternates.length === 0) index.alternateCloneUrl = i;
      alternates.push(i);
      return;
    }
    const first = seen.get(lower);
    if (first !== undefined) {
      throw new PartitionError(
        ERROR_CODES.DUPLICATE_COLUMN,
        `Line ${line}: the header names column "${name}" twice (columns ${first + 1} and ${i + 1}).`,
        { hint: "Column names match case-insensitively; remove or rename one of them." },
      );
    }
    seen.set(lower, i);
    const known = (KNOWN_COLUMNS as Record<string, KnownProperty | undefined>)[lower];
    if (known !== undefined) {
      index[known] = i;
      return;
    }
    const org = /^org([1-9][0-9]*)$/.exec(lower);
    if (org) {
      orgs.push([Number(org[1]), i]);
      return;
    }
    extras.push([i, name]);
  });
  if (index.cloneUrl < 0) {
    throw new PartitionError(
      ERROR_CODES.MISSING_CLONE_URL_HEADER,
      `Line ${line}: the header has no "cloneUrl" column (found: ${names.filter((n) => n).join(", ") || "nothing"}).`,
      { hint: missingCloneUrlHint(names) },
    );
  }
  orgs.sort((a, b) => a[0] - b[0]);
  return {
    names,
    index,
    orgs: orgs.map(([, i]) => i),
    alternates,
    extras,
    info: { columns: names, unknownColumns: extras.map(([, n]) => n), line },
  };
}
