/** Turn one raw csv record into a valid RepoRow or a list of issues. Hot path: keep it cheap. */
import { ISSUE_CODES } from "../errors.js";
import type { Layout } from "../header.js";
import { branchNameProblem } from "../refname.js";
import { displayValue, unsafePathReason } from "../text.js";
import type { ParsedRecord, RepoRow, ValidationIssue } from "../types.js";
import { checkCloneUrl, type CloneUrlParts } from "../url/check.js";
import { deriveFromParts } from "../url/derive.js";
import { IssueList, checkControl, checkOptionLike, checkPathLike, field } from "./issues.js";
import { orgsOf } from "./keys.js";

const HEX = /^[0-9a-fA-F]{7,40}$/;

/** The build settings `mod git sync csv` records per repository; only control characters are refused. */
const BUILD_SETTINGS = ["java", "jvmopts", "mavenArgs", "gradleArgs"] as const;

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

/** Check cloneUrl and alternateCloneUrl; the origin/path derived from cloneUrl when they are needed. */
function checkUrls(fields: string[], layout: Layout, issues: IssueList, allowFileUrls: boolean, need: boolean, build: boolean) {
  const ix = layout.index;
  const cloneUrl = field(fields, ix.cloneUrl);
  let derived: { origin: string; path: string } | undefined;
  const check = checkCloneUrl(cloneUrl, allowFileUrls);
  if (!check.ok) {
    issues.add(check.code, ix.cloneUrl, cloneUrl, `The clone URL ${check.reason}. ${check.hint}`);
  } else if (need && (build || !derivesSafely(check.parts))) {
    derived = deriveFromParts(check.parts);
    if (derived === undefined) {
      issues.add(
        ISSUE_CODES.INVALID_CLONE_URL,
        ix.cloneUrl,
        cloneUrl,
        "The clone URL has no repository path. Write it as scheme://host/org/repo.git.",
      );
    }
  }
  const alternateCloneUrls: string[] = [];
  for (const i of layout.alternates) {
    const alternate = field(fields, i);
    if (alternate.length === 0) continue;
    const alt = checkCloneUrl(alternate, allowFileUrls);
    if (!alt.ok) issues.add(alt.code, i, alternate, `The alternate clone URL ${alt.reason}. ${alt.hint}`);
    alternateCloneUrls.push(alternate);
  }
  return { cloneUrl, derived, alternateCloneUrls };
}

/** Check branch and changeset: a name git accepts, a commit id, and a changeset only with its branch. */
function checkRef(fields: string[], layout: Layout, issues: IssueList): { branch: string; changeset: string } {
  const ix = layout.index;
  const branch = field(fields, ix.branch);
  if (branch.length > 0 && checkOptionLike(issues, ix.branch, branch, "branch")) {
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
    if (branch.length === 0) {
      issues.add(
        ISSUE_CODES.CHANGESET_WITHOUT_BRANCH,
        ix.changeset,
        changeset,
        "A changeset needs the branch it is on: repos.csv requires branch with changeset. Add the branch, or leave changeset empty.",
      );
    }
  }
  return { branch, changeset };
}

/** Check given origin/path; fill in (and check) the derived ones where the row leaves them empty. */
function resolvePaths(
  fields: string[],
  layout: Layout,
  issues: IssueList,
  cloneUrl: string,
  derived: { origin: string; path: string } | undefined,
): { origin: string; path: string } {
  const ix = layout.index;
  let origin = field(fields, ix.origin);
  let path = field(fields, ix.path);
  if (origin.length > 0) checkPathLike(issues, ix.origin, origin, "origin");
  if (path.length > 0 && checkOptionLike(issues, ix.path, path, "path")) checkPathLike(issues, ix.path, path, "path");
  if (derived === undefined) return { origin, path };
  if (origin.length === 0) {
    origin = derived.origin;
    const reason = unsafePathReason(origin, false);
    if (reason !== undefined)
      issues.add(
        ISSUE_CODES.UNSAFE_PATH,
        ix.cloneUrl,
        cloneUrl,
        `The origin derived from the clone URL ${reason}. Fix the clone URL or set origin explicitly.`,
      );
  }
  if (path.length === 0) {
    path = derived.path;
    const reason = unsafePathReason(path, false) ?? (path.charCodeAt(0) === 0x2d ? 'starts with "-"' : undefined);
    if (reason !== undefined)
      issues.add(
        ISSUE_CODES.UNSAFE_PATH,
        ix.cloneUrl,
        cloneUrl,
        `The path derived from the clone URL ${reason}. Fix the clone URL or set path explicitly.`,
      );
  }
  return { origin, path };
}

/** Check the organization columns and unknown columns; the `extra` values when `build`. */
function checkOrgsAndExtras(fields: string[], layout: Layout, issues: IssueList, build: boolean): Record<string, string> | undefined {
  for (const i of layout.orgs) {
    const v = field(fields, i);
    if (v.length > 0) checkPathLike(issues, i, v, "organization");
  }
  const extra: Record<string, string> | undefined = build ? {} : undefined;
  for (const [i, name] of layout.extras) {
    const v = fields[i] ?? "";
    if (v.indexOf("\u0000") >= 0) issues.add(ISSUE_CODES.CONTROL_CHARACTER, i, v, "The value contains a NUL character. Remove it.");
    if (extra !== undefined) extra[name] = v;
  }
  return extra;
}

/** Each issue of an invalid row names the row's clone URL (made safe to print), so a skipped row can be told apart. */
function withCloneUrl(list: ValidationIssue[], cloneUrl: string): ValidationIssue[] {
  if (cloneUrl.length === 0) return list;
  const shown = displayValue(cloneUrl);
  for (const issue of list) issue.cloneUrl = shown;
  return list;
}

/** What check-only validation (`build` false) returns for a valid row: no RepoRow is built. */
const VALID_UNBUILT: ParsedRecord = Object.freeze({ ok: true, repo: undefined as unknown as RepoRow });

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
  // derive only what is missing (most lists give both)
  const need = field(fields, ix.origin).length === 0 || field(fields, ix.path).length === 0;
  const { cloneUrl, derived, alternateCloneUrls } = checkUrls(fields, layout, issues, allowFileUrls, need, build);
  const { branch, changeset } = checkRef(fields, layout, issues);
  const { origin, path } = resolvePaths(fields, layout, issues, cloneUrl, derived);
  const settings: Partial<Record<(typeof BUILD_SETTINGS)[number], string>> = {};
  for (const name of BUILD_SETTINGS) {
    const value = field(fields, ix[name]);
    if (value.length === 0) continue;
    checkControl(issues, ix[name], value);
    settings[name] = value;
  }
  const extra = checkOrgsAndExtras(fields, layout, issues, build);

  if (issues.list !== undefined) return { ok: false, row, line, issues: withCloneUrl(issues.list, cloneUrl) };
  if (extra === undefined) return VALID_UNBUILT;
  const repo: RepoRow = { row, line, cloneUrl, origin, path, orgs: orgsOf(fields, layout), extra };
  if (branch.length > 0) repo.branch = branch;
  if (changeset.length > 0) repo.changeset = changeset;
  if (alternateCloneUrls.length > 0) {
    repo.alternateCloneUrl = alternateCloneUrls[0] as string;
    repo.alternateCloneUrls = alternateCloneUrls;
  }
  const derivedFields = [
    ...(field(fields, ix.origin).length === 0 ? ["origin" as const] : []),
    ...(field(fields, ix.path).length === 0 ? ["path" as const] : []),
  ];
  if (derivedFields.length > 0) repo.derived = derivedFields;
  Object.assign(repo, settings);
  return { ok: true, repo };
}
