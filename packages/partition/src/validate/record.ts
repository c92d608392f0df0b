/** Turn one raw csv record into a valid RepoRow or a list of issues. Hot path: keep it cheap. */
import { ISSUE_CODES } from "./errors.js";
import type { Layout } from "./header.js";
import { branchNameProblem } from "./refname.js";
import { displayValue, hasControlChar, unsafePathReason } from "./text.js";
import type { ParsedRecord, RepoRow, ValidationIssue } from "./types.js";
import { checkCloneUrl, deriveFromParts, type CloneUrlParts } from "./url.js";

/** The trimmed field at column `i` ("" when the column is absent, i < 0, or the record is short). */
export function field(fields: string[], i: number): string {
  if (i < 0) return "";
  const v = fields[i];
  return v === undefined ? "" : v.trim();
}

const HEX = /^[0-9a-fA-F]{7,40}$/;

class IssueList {
  list: ValidationIssue[] | undefined;
  constructor(
    private readonly layout: Layout,
    private readonly row: number,
    private readonly line: number,
  ) {}
  add(code: string, columnIndex: number, value: string | undefined, message: string): void {
    const issue: ValidationIssue = { code, row: this.row, line: this.line, message };
    if (columnIndex >= 0) issue.column = this.layout.names[columnIndex] ?? `column ${columnIndex + 1}`;
    if (value !== undefined) issue.value = displayValue(value);
    (this.list ??= []).push(issue);
  }
}

function checkOptionLike(issues: IssueList, idx: number, value: string, what: string): boolean {
  if (value.charCodeAt(0) === 0x2d) {
    issues.add(
      ISSUE_CODES.OPTION_INJECTION,
      idx,
      value,
      `The ${what} starts with "-", which git would read as an option. Remove the leading "-".`,
    );
    return false;
  }
  return true;
}

function checkPathLike(issues: IssueList, idx: number, value: string, what: string): void {
  const reason = unsafePathReason(value);
  if (reason !== undefined) {
    const advice =
      what === "organization"
        ? 'it becomes a folder name, so it must be a plain relative name like "Platform". Fix it.'
        : `it must be a relative path like "${what === "origin" ? "github.com" : "org/repo"}". Fix it or leave it empty to derive it from cloneUrl.`;
    issues.add(ISSUE_CODES.UNSAFE_PATH, idx, value, `The ${what} ${reason}; ${advice}`);
  }
}

function checkControl(issues: IssueList, idx: number, value: string): void {
  if (hasControlChar(value, true)) {
    issues.add(
      ISSUE_CODES.CONTROL_CHARACTER,
      idx,
      value,
      "The value contains a control character (newline, NUL, ...). Remove it.",
    );
  }
}

/**
 * Validate one data record against the header layout. `fields` are the raw csv fields of the record.
 * With `build` false only the verdict matters: a valid row returns VALID_UNBUILT (same issues otherwise).
 */
export function validateRecord(
  fields: string[],
  layout: Layout,
  row: number,
  line: number,
  allowFileUrls: boolean,
  build = true,
): ParsedRecord {
  const ix = layout.index;
  const issues = new IssueList(layout, row, line);

  if (fields.length > layout.names.length) {
    issues.add(
      ISSUE_CODES.TOO_MANY_FIELDS,
      -1,
      fields.slice(layout.names.length).join(","),
      `The row has ${fields.length} fields but the header has ${layout.names.length}. Quote values that contain commas ("a,b") or add the missing header columns.`,
    );
  }

  const cloneUrl = field(fields, ix.cloneUrl);
  let origin = field(fields, ix.origin);
  let path = field(fields, ix.path);
  let derived: { origin: string; path: string } | undefined;
  const check = checkCloneUrl(cloneUrl, allowFileUrls);
  if (check.ok) {
    // derive only what is missing (most lists give both)
    if ((origin.length === 0 || path.length === 0) && (build || !derivesSafely(check.parts))) {
      derived = deriveFromParts(check.parts);
      if (derived === undefined) {
        issues.add(ISSUE_CODES.INVALID_CLONE_URL, ix.cloneUrl, cloneUrl, "The clone URL has no repository path. Write it as scheme://host/org/repo.git.");
      }
    }
  } else {
    issues.add(check.code, ix.cloneUrl, cloneUrl, `The clone URL ${check.reason}. ${check.hint}`);
  }

  const alternateCloneUrl = field(fields, ix.alternateCloneUrl);
  if (alternateCloneUrl.length > 0) {
    const alt = checkCloneUrl(alternateCloneUrl, allowFileUrls);
    if (!alt.ok) issues.add(alt.code, ix.alternateCloneUrl, alternateCloneUrl, `The alternate clone URL ${alt.reason}. ${alt.hint}`);
  }

  const branch = field(fields, ix.branch);
  if (branch.length > 0) {
    if (checkOptionLike(issues, ix.branch, branch, "branch")) {
      const problem = branchNameProblem(branch);
      if (problem !== undefined) {
        issues.add(
          ISSUE_CODES.INVALID_BRANCH,
          ix.branch,
          branch,
          `git would refuse this branch name: it ${problem} (git check-ref-format rules). Fix the branch or leave it empty for the default branch.`,
        );
      }
    }
  }

  const changeset = field(fields, ix.changeset);
  if (changeset.length > 0) {
    if (checkOptionLike(issues, ix.changeset, changeset, "changeset") && !HEX.test(changeset)) {
      issues.add(
        ISSUE_CODES.INVALID_CHANGESET,
        ix.changeset,
        changeset,
        "A changeset must be a commit id of 7 to 40 hexadecimal characters.",
      );
    }
    if (branch.length > 0) {
      issues.add(
        ISSUE_CODES.BRANCH_AND_CHANGESET,
        ix.changeset,
        changeset,
        `The row sets both branch ("${displayValue(branch)}") and changeset. Keep only one of them.`,
      );
    }
  }

  if (origin.length > 0) checkPathLike(issues, ix.origin, origin, "origin");
  if (path.length > 0) {
    if (checkOptionLike(issues, ix.path, path, "path")) checkPathLike(issues, ix.path, path, "path");
  }
  if (derived !== undefined) {
    if (origin.length === 0) {
      origin = derived.origin;
      const reason = unsafePathReason(origin, false);
      if (reason !== undefined) issues.add(ISSUE_CODES.UNSAFE_PATH, ix.cloneUrl, cloneUrl, `The origin derived from the clone URL ${reason}. Fix the clone URL or set origin explicitly.`);
    }
    if (path.length === 0) {
      path = derived.path;
      const reason = unsafePathReason(path, false) ?? (path.charCodeAt(0) === 0x2d ? 'starts with "-"' : undefined);
      if (reason !== undefined) issues.add(ISSUE_CODES.UNSAFE_PATH, ix.cloneUrl, cloneUrl, `The path derived from the clone URL ${reason}. Fix the clone URL or set path explicitly.`);
    }
  }

  const java = field(fields, ix.java);
  if (java.length > 0) checkControl(issues, ix.java, java);
  const jvmopts = field(fields, ix.jvmopts);
  if (jvmopts.length > 0) checkControl(issues, ix.jvmopts, jvmopts);
  const mavenArgs = field(fields, ix.mavenArgs);
  if (mavenArgs.length > 0) checkControl(issues, ix.mavenArgs, mavenArgs);
  const gradleArgs = field(fields, ix.gradleArgs);
  if (gradleArgs.length > 0) checkControl(issues, ix.gradleArgs, gradleArgs);

  const orgs: string[] | undefined = build ? [] : undefined;
  const orgIdx = layout.orgs;
  for (let k = 0; k < orgIdx.length; k++) {
    const i = orgIdx[k] as number;
    const v = field(fields, i);
    if (v.length > 0) checkPathLike(issues, i, v, "organization");
    orgs?.push(v);
  }
  if (orgs !== undefined) while (orgs.length > 0 && orgs[orgs.length - 1] === "") orgs.pop();

  const extra: Record<string, string> | undefined = build ? {} : undefined;
  const extras = layout.extras;
  for (let k = 0; k < extras.length; k++) {
    const [i, name] = extras[k] as [number, string];
    const v = fields[i] ?? "";
    if (v.indexOf("\u0000") >= 0) issues.add(ISSUE_CODES.CONTROL_CHARACTER, i, v, "The value contains a NUL character. Remove it.");
    if (extra !== undefined) extra[name] = v;
  }

  if (issues.list !== undefined) return { ok: false, row, line, issues: issues.list };
  if (orgs === undefined || extra === undefined) return VALID_UNBUILT;
  const repo: RepoRow = { row, line, cloneUrl, origin, path, orgs, extra };
  if (branch.length > 0) repo.branch = branch;
  if (changeset.length > 0) repo.changeset = changeset;
  if (alternateCloneUrl.length > 0) repo.alternateCloneUrl = alternateCloneUrl;
  if (java.length > 0) repo.java = java;
  if (jvmopts.length > 0) repo.jvmopts = jvmopts;
  if (mavenArgs.length > 0) repo.mavenArgs = mavenArgs;
  if (gradleArgs.length > 0) repo.gradleArgs = gradleArgs;
  return { ok: true, repo };
}

/** Length of the part of a clone URL that identifies the repository: without trailing "/" and ".git". */
export function keyLength(cloneUrl: string): number {
  let end = cloneUrl.length;
  while (end > 0 && cloneUrl.charCodeAt(end - 1) === 0x2f) end--;
  if (end >= 4 && cloneUrl.startsWith(".git", end - 4)) end -= 4;
  return end;
}

/**
 * True when origin/path derived from these URL parts are certainly non-empty and safe (no ".." segment, no leading
 * slash, backslash or "-"), so a check-only validation may skip deriving them. Conservative: when in doubt, derive.
 */
function derivesSafely(parts: CloneUrlParts): boolean {
  if (parts.scheme === "file" || parts.host.indexOf("..") >= 0) return false;
  const urlPath = parts.path;
  const c = urlPath.charCodeAt(0);
  return (
    c !== 0x2f &&
    c !== 0x2e &&
    c !== 0x2d &&
    urlPath.indexOf("..") < 0 &&
    urlPath.indexOf("\\") < 0 &&
    urlPath.indexOf("/-") < 0 &&
    urlPath.indexOf("//") < 0
  );
}

/** What check-only validation (`build` false) returns for a valid row: no RepoRow is built. */
const VALID_UNBUILT: ParsedRecord = Object.freeze({ ok: true, repo: undefined as unknown as RepoRow });

/** Key that identifies "the same repository": clone URL (without trailing "/" and ".git") + branch. */
export function duplicateKey(cloneUrl: string, branch: string | undefined): string {
  const url = cloneUrl.slice(0, keyLength(cloneUrl));
  return branch === undefined ? url : `${url}\u0000${branch}`;
}
