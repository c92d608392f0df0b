/**
 * Per-task result prefixes (docs/security.md, "Scoping each array child's result writes"): an ECS task's role
 * session is named after the task, so `aws:userid` is `<role-unique-id>:<task-id>`, and the processor role's
 * PutObject on results is `runs/*\/results/by-task/${aws:userid}/*`. The synthesized (deployed) processor role is
 * simulated: each task writes under its own prefix only.
 */
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "../src/iam-policy.js";
import { ACCOUNT, Synth, minimalConfig } from "./helpers.js";
import { rolePolicies } from "./iam/policies.js";
import { decide } from "./iam/simulate.js";

const where = { partition: "aws", region: "us-east-1", account: ACCOUNT };
const ROLE_ID = "AROAEXAMPLEPROCESSOR1";
const synth = new Synth(minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" }));
const deployed = rolePolicies(synth.json, where)["mi-test-processor-job"] as Record<string, PolicyDocument>;

/** A call by the session of ECS task `task` under the processor role. */
const session = (task: string) => ({
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/mi-test-processor-job/${task}`,
  account: ACCOUNT,
  policies: deployed,
});
const put = (task: string, key: string) => ({
  action: "s3:PutObject",
  resource: `arn:aws:s3:::state-bucket/mass-ingest/${key}`,
  context: { "aws:userid": `${ROLE_ID}:${task}` },
});
const own = (task: string, partition: number) => `runs/r1/results/by-task/${ROLE_ID}:${task}/p${partition}.json`;

describe("per-task result prefixes in the IAM simulation of the synthesized processor role", () => {
  it("the synthesized statement is the policy variable itself (Terraform's $${ escape rendered as ${)", () => {
    expect(synth.statement("mi-test-processor-job", "WriteOwnTaskResults").Resource).toEqual([
      "arn:aws:s3:::state-bucket/mass-ingest/runs/*/results/by-task/$${aws:userid}/*",
    ]);
    expect(JSON.stringify(deployed)).toContain("/runs/*/results/by-task/${aws:userid}/*");
    expect(JSON.stringify(deployed)).not.toContain("$${");
  });

  it("task A writes under its own prefix only: not task B's, not a plain result key, not the manifest", async () => {
    expect(await decide(put("task-A", own("task-A", 3)), session("task-A"))).toBe("Allowed");
    expect(await decide(put("task-B", own("task-B", 7)), session("task-B"))).toBe("Allowed");
    for (const key of [own("task-B", 7), own("task-B", 3), "runs/r1/results/p3.json", "runs/r1/results/p7.json", "runs/r1/manifest.json"])
      expect(await decide(put("task-A", key), session("task-A")), key).toMatch(/Denied$/);
    // reading stays: every result record of a run (the fold is the chunker's; the processor reads what it names)
    const get = { action: "s3:GetObject", resource: "arn:aws:s3:::state-bucket/mass-ingest/runs/r1/results/p3.json", context: {} };
    expect(await decide(get, session("task-A"))).toBe("Allowed");
  });

  it("what IAM does not give: the partition segment is free, so the fold binds task to partition", async () => {
    // task A (partition 3) may still name partition 7 under its own prefix, or a key that begins with task B's prefix and holds its own further down (`*` matches "/")
    expect(await decide(put("task-A", own("task-A", 7)), session("task-A"))).toBe("Allowed");
    const nested = `runs/r1/results/by-task/${ROLE_ID}:task-B/p7.json/results/by-task/${ROLE_ID}:task-A/x`;
    expect(await decide(put("task-A", nested), session("task-A"))).toBe("Allowed");
  });
});
