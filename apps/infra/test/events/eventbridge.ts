/**
 * A small evaluator of EventBridge event patterns and input transformers (the subset the stack uses: literal
 * values, `exists`, `prefix`, nested objects, `$or`), so the tests can show which sample events a rule matches and
 * what its target receives. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function matchesValue(condition: Json, value: Json | undefined): boolean {
  if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
    if ("exists" in condition) return (value !== undefined) === condition.exists;
    if ("prefix" in condition) return typeof value === "string" && value.startsWith(String(condition.prefix));
    throw new Error(`unsupported pattern condition ${JSON.stringify(condition)}`);
  }
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some((v) => matchesValue(condition, v));
  return condition === value;
}

/** True when `event` matches `pattern` (every field of the pattern; a list means any of its values). */
export function matchesPattern(pattern: Record<string, Json>, event: Record<string, Json> | undefined): boolean {
  return Object.entries(pattern).every(([key, condition]) => {
    if (key === "$or") return (condition as Record<string, Json>[]).some((p) => matchesPattern(p, event));
    const value = event?.[key];
    if (Array.isArray(condition)) {
      // `exists: false` matches an absent field; everything else needs one of the listed values.
      return condition.some((c) => matchesValue(c, value));
    }
    if (condition !== null && typeof condition === "object") {
      if (value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))) return false;
      return matchesPattern(condition, value as Record<string, Json> | undefined);
    }
    throw new Error(`pattern field ${key} must be a list or an object`);
  });
}

/** The value at a `$.a.b.c` path, or undefined. */
function at(event: Json, path: string): Json | undefined {
  let value: Json | undefined = event;
  for (const part of path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter((p) => p !== "")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = value[part];
  }
  return value;
}

/**
 * What the target receives: each `<name>` of the template replaced by the value at its input path (strings as
 * they are, other values as JSON; a missing path as an empty string, as EventBridge does inside a string).
 */
export function transformInput(transformer: { input_paths: Record<string, string>; input_template: string }, event: Json): string {
  return transformer.input_template.replace(/<([A-Za-z0-9_-]+)>/g, (whole, name: string) => {
    const path = transformer.input_paths[name];
    if (path === undefined) return whole;
    const value = at(event, path);
    if (value === undefined) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

export type { Json };
