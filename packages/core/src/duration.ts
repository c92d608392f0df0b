/** Durations as the CLIs take them ("500ms", "30s", "45m", "2h", "7d", "1w", "1h30m"), one parser for every app. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "500ms", "30s", "45m", "2h", "7d", "1w", "1h30m" -> milliseconds; undefined when malformed. "0" is 0. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (value === "0") return 0;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return undefined;
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
