/**
 * The synthesized IAM policies with their Terraform references replaced by the ARNs AWS would assign (from the
 * resources' own names), so a simulator or the Service Authorization data can read them as real policies.
 */
import type { PolicyDocument } from "../../src/iam-policy.js";

export type TerraformJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

export interface Arns {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * `${type.id.attr}` → what AWS would put there, and Terraform's escape `$${` → a literal `${` (an IAM policy
 * variable such as `${aws:userid}`), as Terraform renders it. Throws on a reference it does not know.
 */
export function resolveReferences(text: string, terraform: TerraformJson, arns: Arns): string {
  const { partition: p, region: r, account: a } = arns;
  return text.replace(/\$\$\{|\$\{([A-Za-z0-9_.-]+)\}/g, (whole, ref: string | undefined) => {
    if (ref === undefined) return "${";
    if (/^data\.aws_caller_identity\.[^.]+\.account_id$/.test(ref)) return a;
    const [type, id, attr] = ref.split(".") as [string, string, string];
    const resource = terraform.resource?.[type]?.[id];
    const name = resource?.name as string | undefined;
    if (resource === undefined || name === undefined) throw new Error(`cannot resolve ${whole}`);
    const arn: Record<string, string> = {
      "aws_batch_job_queue.arn": `arn:${p}:batch:${r}:${a}:job-queue/${name}`,
      "aws_batch_job_definition.arn_prefix": `arn:${p}:batch:${r}:${a}:job-definition/${name}`,
      "aws_batch_job_definition.arn": `arn:${p}:batch:${r}:${a}:job-definition/${name}:1`,
      "aws_cloudwatch_log_group.arn": `arn:${p}:logs:${r}:${a}:log-group:${name}`,
      "aws_ecr_repository.arn": `arn:${p}:ecr:${r}:${a}:repository/${name}`,
      "aws_iam_role.arn": `arn:${p}:iam::${a}:role/${name}`,
      "aws_sns_topic.arn": `arn:${p}:sns:${r}:${a}:${name}`,
    };
    const value = arn[`${type}.${attr}`];
    if (value === undefined) throw new Error(`cannot resolve ${whole}`);
    return value;
  });
}

/** Every inline policy of the stack by role name (`{ role: { policy: document } }`), references resolved. */
export function rolePolicies(terraform: TerraformJson, arns: Arns): Record<string, Record<string, PolicyDocument>> {
  const roles = terraform.resource?.aws_iam_role ?? {};
  const out: Record<string, Record<string, PolicyDocument>> = {};
  for (const role of Object.values(roles)) out[role.name as string] = {};
  for (const p of Object.values(terraform.resource?.aws_iam_role_policy ?? {})) {
    const roleId = /^\$\{aws_iam_role\.([^.]+)\.id\}$/.exec(p.role as string)?.[1];
    const roleName = roles[roleId ?? ""]?.name as string | undefined;
    if (roleName === undefined) throw new Error(`policy ${String(p.name)} is not attached to a role of this stack`);
    (out[roleName] as Record<string, PolicyDocument>)[p.name as string] = JSON.parse(
      resolveReferences(p.policy as string, terraform, arns),
    ) as PolicyDocument;
  }
  return out;
}
