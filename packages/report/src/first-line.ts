/** Lines that say nothing about the cause: blank, separators, stack frames, progress and log-level noise. */
const NOISE = [
  /^\s*$/,
  /^[-=*_#~.\s]+$/,
  /^\s*at\s/,
  /^\s*\.\.\.\s*\d+ more/,
  /^\s*\[?(INFO|DEBUG)\]?\b/i,
  /^\s*(Downloading|Downloaded|Progress)\b/i,
];
const SIGNAL = /\b(error|fail(ed|ure)?|exception|cannot|could not|unable|denied|refused|not found|timed? ?out|killed)\b/i;

/**
 * The first meaningful line of an error text: the first line that names a problem (error, failed, exception,
 * cannot, ...), else the first line that is not noise; trimmed and cut at 200 characters.
 */
export function firstMeaningfulLine(text: string | undefined): string {
  if (!text) return "(no error text)";
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => !NOISE.some((re) => re.test(l)));
  const line = lines.find((l) => SIGNAL.test(l)) ?? lines[0] ?? "(no error text)";
  const clean = line.replace(/^(\[?(ERROR|FATAL|WARN(ING)?)\]?:?\s*)+/i, "");
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

/** A grouping key for a line: numbers, hex ids and quoted values do not split a group. */
export function groupKey(line: string): string {
  return line
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .replace(/\b[0-9a-f]{7,40}\b/gi, "#")
    .replace(/\d+/g, "#")
    .toLowerCase();
}
