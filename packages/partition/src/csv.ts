/** Write rows back as a repos.csv. */
import type { RepoRow } from "./types.js";

/** Known columns in output order; the header names them exactly like the RepoRow properties. */
const FIXED = [
  "cloneUrl",
  "branch",
  "changeset",
  "origin",
  "path",
  "alternateCloneUrl",
  "java",
  "jvmopts",
  "mavenArgs",
  "gradleArgs",
] as const;

/** RFC 4180 quoting: quote when the value has a comma, quote, CR/LF or surrounding whitespace. */
function csvField(value: string): string {
  if (value.length === 0) return "";
  if (/[",\r\n]/.test(value) || value.trim() !== value) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/**
 * Write rows as a repos.csv (header + one line per row, "\n" line ends) for `mod git sync csv`. Optional
 * columns appear only when some row uses them; org1..orgN and unknown columns (`extra`) are kept. A repository
 * with `otherOrgs` gets one line per organization. The output reads back (readRepos) to the same repositories.
 */
export function toCsv(repos: readonly RepoRow[]): string {
  const used = FIXED.filter(
    (prop) => prop === "cloneUrl" || prop === "origin" || prop === "path" || repos.some((r) => r[prop] !== undefined),
  );
  let orgCount = 0;
  const extraNames = new Set<string>(); // first-seen order
  for (const r of repos) {
    for (const orgs of [r.orgs, ...(r.otherOrgs ?? [])]) if (orgs.length > orgCount) orgCount = orgs.length;
    for (const name of Object.keys(r.extra)) extraNames.add(name);
  }
  // alternateCloneUrl may repeat: as many columns as the row with the most fallbacks needs
  const alternates = (r: RepoRow): string[] => r.alternateCloneUrls ?? (r.alternateCloneUrl !== undefined ? [r.alternateCloneUrl] : []);
  const altCount = repos.reduce((n, r) => Math.max(n, alternates(r).length), 0);
  const columns = used.flatMap((prop) => (prop === "alternateCloneUrl" ? Array.from({ length: altCount }, () => prop) : [prop]));
  const header = [...columns, ...Array.from({ length: orgCount }, (_, i) => `org${i + 1}`), ...extraNames];
  const lines = [header.map(csvField).join(",")];
  for (const r of repos) {
    // one line per organization the repository is listed under, as Moderne's repos.csv does
    for (const orgs of [r.orgs, ...(r.otherOrgs ?? [])]) {
      const cells: string[] = [];
      for (const prop of used) {
        if (prop !== "alternateCloneUrl") cells.push(csvField(r[prop] ?? ""));
        else for (let i = 0; i < altCount; i++) cells.push(csvField(alternates(r)[i] ?? ""));
      }
      for (let i = 0; i < orgCount; i++) cells.push(csvField(orgs[i] ?? ""));
      for (const name of extraNames) cells.push(csvField(r.extra[name] ?? ""));
      lines.push(cells.join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
