/** Decides AWS calls against a role's synthesized policies with @cloud-copilot/iam-simulate (a test-only, AGPL tool). */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../src/iam-policy.js";
import type { AwsCall } from "./recording.js";

/** "Allowed", "ImplicitlyDenied", "ExplicitlyDenied", or "error: ..." when the simulator rejects the request. */
export async function decide(
  call: Pick<AwsCall, "action" | "resource" | "context">,
  role: { arn: string; account: string; policies: Record<string, PolicyDocument> },
  /** The resource's own policy (a KMS key policy, a bucket policy), when the service consults one. */
  resourcePolicy?: unknown,
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: call.action,
        resource: { resource: call.resource, accountId: role.account },
        contextVariables: { ...call.context },
      },
      identityPolicies: Object.entries(role.policies).map(([name, policy]) => ({ name, policy })),
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") return `error: ${JSON.stringify(result.errors)}`;
  return result.overallResult;
}

/** The default KMS key policy: the key trusts the account's IAM policies (what the identity policies then decide). */
export function keyPolicyTrustingAccount(account: string): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
    ],
  };
}

/** `decide` for many calls: `action resource -> decision` lines, for one readable assertion. */
export async function decisions(
  calls: readonly Pick<AwsCall, "action" | "resource" | "context">[],
  role: Parameters<typeof decide>[1],
): Promise<string[]> {
  const out: string[] = [];
  for (const call of calls) out.push(`${call.action} ${call.resource} -> ${await decide(call, role)}`);
  return [...new Set(out)];
}
