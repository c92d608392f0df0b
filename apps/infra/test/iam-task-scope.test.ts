/**
 * Per-task result prefixes (docs/security.md, "Scoping each array child's result writes"): an ECS task's role
 * session is named after the task, so `aws:userid` is `<role-unique-id>:<task-id>` and a PutObject resource with
 * `${aws:userid}` in it lets each array child write under its own prefix only. The synthesized processor role is
 * simulated as it is today (any session writes every result key) and with its result statement scoped that way.
 */
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "../src/iam-policy.js";
import { ACCOUNT, Synth, minimalConfig } from "./helpers.js";
import { rolePolicies } from "./iam/policies.js";
import { decide } from "./iam/simulate.js";

const where = { partition: "aws", region: "us-east-1", account: ACCOUNT };
const ROLE_ID = "AROAEXAMPLEPROCESSOR1";
const synth = new Synth(minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" }));
const today = rolePolicies(synth.json, where)["mi-test-processor-job"] as Record<string, PolicyDocument>;

type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[] };
/** The processor role with its result writes limited to `runs/*\/results/by-task/${aws:userid}/*`. */
function scoped(policies: Record<string, PolicyDocument>): Record<string, PolicyDocument> {
  let found = 0;
  const out = Object.entries(policies).map(([name, doc]) => {
    const statements = (doc.Statement as unknown as Statement[]).flatMap((st) => {
      if (st.Sid !== "ReadWriteRunResults") return [st];
      found++;
      const resources = ([] as string[]).concat(st.Resource);
      return [
        { ...st, Sid: "ReadRunResults", Action: ["s3:GetObject"] },
        {
          ...st,
          Sid: "WriteOwnTaskResults",
          Action: ["s3:PutObject"],
          Resource: resources.map((r) => r.replace(/results\/\*$/, "results/by-task/${aws:userid}/*")),
        },
      ];
    });
    return [name, { ...doc, Statement: statements } as unknown as PolicyDocument] as const;
  });
  expect(found).toBe(1);
  return Object.fromEntries(out);
}

/** A call by the session of ECS task `task` under the processor role. */
const session = (task: string, policies: Record<string, PolicyDocument>) => ({
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/mi-test-processor-job/${task}`,
  account: ACCOUNT,
  policies,
});
const put = (task: string, key: string) => ({
  action: "s3:PutObject",
  resource: `arn:aws:s3:::state-bucket/mass-ingest/${key}`,
  context: { "aws:userid": `${ROLE_ID}:${task}` },
});
const own = (task: string, partition: number) => `runs/r1/results/by-task/${ROLE_ID}:${task}/p${partition}.json`;

describe("per-task result prefixes in the IAM simulation", () => {
  it("today: one shared job role, so task A may write task B's and every plain result key", async () => {
    expect(await decide(put("task-A", own("task-B", 7)), session("task-A", today))).toBe("Allowed");
    expect(await decide(put("task-A", "runs/r1/results/p7.json"), session("task-A", today))).toBe("Allowed");
  });

  it("scoped by ${aws:userid}: task A writes under its own prefix only", async () => {
    const policies = scoped(today);
    expect(await decide(put("task-A", own("task-A", 3)), session("task-A", policies))).toBe("Allowed");
    expect(await decide(put("task-B", own("task-B", 7)), session("task-B", policies))).toBe("Allowed");
    for (const key of [own("task-B", 7), own("task-B", 3), "runs/r1/results/p3.json", "runs/r1/results/p7.json", "runs/r1/manifest.json"])
      expect(await decide(put("task-A", key), session("task-A", policies)), key).toMatch(/Denied$/);
    // reading stays as it was (an attempt reads the records of earlier attempts)
    const get = { action: "s3:GetObject", resource: "arn:aws:s3:::state-bucket/mass-ingest/runs/r1/results/p3.json", context: {} };
    expect(await decide(get, session("task-A", policies))).toBe("Allowed");
  });

  it("what IAM does not give: the partition segment is free, so the fold must bind task to partition", async () => {
    const policies = scoped(today);
    // task A (partition 3) may still name partition 7 under its own prefix, or nest task B's prefix below its own
    expect(await decide(put("task-A", own("task-A", 7)), session("task-A", policies))).toBe("Allowed");
    const nested = `runs/r1/results/by-task/${ROLE_ID}:task-B/p7.json/results/by-task/${ROLE_ID}:task-A/x`;
    expect(await decide(put("task-A", nested), session("task-A", policies))).toBe("Allowed");
  });
});
