import { describeError } from "@mass-ingest/core";
import { openCsv } from "@mass-ingest/core/aws";
import { formatIssue, readRepos } from "@mass-ingest/partition";
import type { CheckContext, CheckResult, CsvFacts } from "../types.js";

/** Invalid rows shown in the detail. */
const SHOWN_ISSUES = 3;

export const CSV_CHECK = { id: "csv", title: "repos.csv" } as const;

type Outcome = Omit<CheckResult, "id" | "title">;

/**
 * repos.csv is readable from its location (path, s3://, https://) and valid by the processor's own lenient
 * validation. Returns the rows for the JDK, ssh and git host checks.
 */
export async function readCsvCheck(context: Pick<CheckContext, "settings" | "options">): Promise<{ outcome: Outcome; facts?: CsvFacts }> {
  const location = context.settings.csv;
  if (!location) return { outcome: { status: "skip", detail: "no csv given: the csv, JDK and git host checks have nothing to look at" } };
  let result;
  try {
    const source = await openCsv(location, context.options.aws ? { aws: context.options.aws } : {});
    result = await readRepos(source, { mode: "lenient", allowFileUrls: context.settings.allowFileUrls === true });
  } catch (error) {
    const e = describeError(error);
    return {
      outcome: {
        status: "fail",
        detail: `${e.code ? `[${e.code}] ` : ""}${e.message}`,
        fix: e.hint ?? "Check the csv location and that it is a repos.csv with a cloneUrl column.",
      },
    };
  }
  const facts: CsvFacts = { repos: result.repos, issues: result.issues, rowCount: result.rowCount };
  const counts = `${result.rowCount} rows, ${result.repos.length} valid`;
  if (result.repos.length === 0) {
    return {
      facts,
      outcome: { status: "fail", detail: `${counts}: nothing to build`, fix: "Add rows (cloneUrl, branch, ...) or fix the invalid ones." },
    };
  }
  const problems = [...result.issues, ...result.duplicates];
  if (problems.length === 0) return { facts, outcome: { status: "pass", detail: `${counts} (${location})` } };
  const invalidRows = new Set(result.issues.map((i) => i.row)).size;
  const shown = problems.slice(0, SHOWN_ISSUES).map(formatIssue).join("; ");
  const more = problems.length > SHOWN_ISSUES ? `; ... and ${problems.length - SHOWN_ISSUES} more` : "";
  return {
    facts,
    outcome: {
      status: "warn",
      detail: `${counts}, ${invalidRows} invalid and ${result.duplicates.length} duplicate rows left out: ${shown}${more}`,
      fix: "Fix or remove the rows listed (`mass-ingest-partition validate <csv>` lists all); the processor skips them.",
    },
  };
}
