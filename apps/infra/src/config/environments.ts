/**
 * Rules across the environments of one config file (each environment on its own is checked by the schema):
 * every environment keeps its own Terraform state, and one account gets one Batch service-linked role.
 */

type Raw = Record<string, unknown>;

const object = (value: unknown): Raw => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Raw) : {});

/** `environments.<id>.<field>: problem` lines; `merged` holds each environment's config merged over the defaults. */
export function crossEnvironmentIssues(merged: readonly (readonly [string, unknown])[]): string[] {
  return [...sharedStateIssues(merged), ...serviceLinkedRoleIssues(merged)];
}

function sharedStateIssues(merged: readonly (readonly [string, unknown])[]): string[] {
  const issues: string[] = [];
  const owners = new Map<string, string>();
  for (const [id, raw] of merged) {
    const backend = object(object(raw).stateBackend);
    if (typeof backend.bucket !== "string" || typeof backend.key !== "string") continue;
    const where = `s3://${backend.bucket}/${backend.key}`;
    const owner = owners.get(where);
    if (owner === undefined) owners.set(where, id);
    else
      issues.push(
        `environments.${id}.stateBackend.key: "${backend.key}" in bucket ${backend.bucket} is already the state of environment ${owner}; ` +
          "every environment needs its own state key (a stateBackend in defaults gives all of them the same one: set stateBackend.key in each environment)",
      );
  }
  return issues;
}

function serviceLinkedRoleIssues(merged: readonly (readonly [string, unknown])[]): string[] {
  const issues: string[] = [];
  const creators = new Map<string, string>();
  for (const [id, raw] of merged) {
    const config = object(raw);
    if (object(config.compute).createServiceLinkedRole !== true) continue;
    const account = typeof config.accountId === "string" ? config.accountId : "";
    const first = creators.get(account);
    if (first === undefined) creators.set(account, id);
    else
      issues.push(
        `environments.${id}.compute.createServiceLinkedRole: environment ${first} already creates AWSServiceRoleForBatch, of which an account has exactly one; ` +
          `set it to true in one environment per account${account === "" ? " (or give each environment its accountId if they deploy to different accounts)" : ""}`,
      );
  }
  return issues;
}
