/**
 * Where a problem of a merged environment config comes from. An environment is its own fields merged over the
 * shared `defaults`; a bad value that the environment did not set is a problem of `defaults`, and is reported
 * there (once, naming every environment it reaches), not as `environments.<id>.<field>`.
 */
import type { z } from "zod";

type Path = readonly PropertyKey[];

function at(value: unknown, path: Path): unknown {
  let here = value;
  for (const key of path) {
    if (typeof here !== "object" || here === null) return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/** True when the environment sets nothing on `path` (nor on an ancestor replacing it) and `defaults` does. */
function fromDefaults(environment: unknown, defaults: unknown, issue: z.core.$ZodIssue): boolean {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const own = at(environment, path);
    const shared = at(defaults, path);
    return issue.keys.every((key) => at(own, [key]) === undefined && at(shared, [key]) !== undefined);
  }
  if (at(defaults, path) === undefined) return false;
  for (let depth = 1; depth <= path.length; depth++) {
    const own = at(environment, path.slice(0, depth));
    if (own === undefined) return true;
    if (typeof own !== "object" || own === null || Array.isArray(own)) return false;
  }
  return false;
}

/** Splits an environment's issues into those of its own fields and those inherited from `defaults`. */
export function issueOrigins(
  issues: readonly z.core.$ZodIssue[],
  environment: unknown,
  defaults: unknown,
): { own: z.core.$ZodIssue[]; inherited: z.core.$ZodIssue[] } {
  const own: z.core.$ZodIssue[] = [];
  const inherited: z.core.$ZodIssue[] = [];
  for (const issue of issues) (fromDefaults(environment, defaults, issue) ? inherited : own).push(issue);
  return { own, inherited };
}

/** Collects `defaults.<field>` lines over environments: one line per problem, naming the environments it reaches. */
export class InheritedIssues {
  private readonly lines = new Map<string, string[]>();

  add(line: string, environment: string): void {
    const seen = this.lines.get(line);
    if (seen) seen.push(environment);
    else this.lines.set(line, [environment]);
  }

  list(): string[] {
    return [...this.lines].map(([line, ids]) => `${line} (merged into environment${ids.length === 1 ? "" : "s"} ${ids.join(", ")})`);
  }
}
