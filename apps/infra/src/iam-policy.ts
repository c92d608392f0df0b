/**
 * IAM policy documents as plain typed values. The stack renders them with `JSON.stringify` (Terraform tokens
 * inside strings resolve on synth), so tests read them back from the synthesized JSON as ordinary policies.
 */

/** One IAM statement. `Action` never contains a wildcard: `assertNoWildcardActions` enforces it at build time. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Trust policy: `service` may assume the role, optionally only from this account. */
export interface TrustStatement {
  readonly Effect: "Allow";
  readonly Principal: { readonly Service: string };
  readonly Action: "sts:AssumeRole";
  readonly Condition?: Record<string, Record<string, string>>;
}

/** Actions AWS does not let you scope to a resource; the only statements allowed `Resource: "*"`. */
export const UNSCOPABLE_ACTIONS: ReadonlySet<string> = new Set([
  "ecr:GetAuthorizationToken",
  "batch:DescribeJobs",
  "batch:ListJobs",
  "batch:DescribeJobQueues",
  "batch:DescribeJobDefinitions",
  "ecs:DiscoverPollEndpoint",
]);

/** Builds a policy document; throws if a statement has a wildcard action or `*` on a scopable action. */
export function policy(statements: readonly PolicyStatement[]): PolicyDocument {
  for (const s of statements) {
    for (const action of s.Action) if (action.includes("*")) throw new Error(`IAM statement ${s.Sid} has a wildcard action ${action}`);
    if (s.Resource.includes("*") && s.Action.some((a) => !UNSCOPABLE_ACTIONS.has(a)))
      throw new Error(`IAM statement ${s.Sid} grants ${s.Action.join(", ")} on "*"`);
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy for an AWS service principal. */
export function trustPolicy(service: string, sourceAccount?: string): string {
  const statement: TrustStatement = {
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
  };
  return JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region name. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The secret's own ARN, without the `:json-key:version-stage:version-id` suffix ECS accepts in `valueFrom`. */
export function secretResourceArn(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}
