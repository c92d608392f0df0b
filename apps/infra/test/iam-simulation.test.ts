/**
 * The synthesized roles in an IAM simulator (@cloud-copilot/iam-simulate): what ECS does for the job definitions
 * (inject secrets with the execution role) is Allowed, and what no role of ours may do is Denied. The calls the
 * apps themselves make are recorded in the moto end-to-end test and simulated there (coherence.test.ts).
 */
import { TAGS } from "@mass-ingest/contract";
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../src/config/load.js";
import type { PolicyDocument } from "../src/iam-policy.js";
import { FULL } from "./fixtures.js";
import { ACCOUNT, Synth, minimalConfig } from "./helpers.js";
import { rolePolicies } from "./iam/policies.js";
import { decide } from "./iam/simulate.js";

const where = { partition: "aws", region: "us-east-1", account: ACCOUNT };
const batchArn = (kind: string, name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:${kind}/${name}`;

function stack(config: unknown) {
  const synth = new Synth(config);
  const policies = rolePolicies(synth.json, where);
  const role = (name: string) => ({ arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, account: ACCOUNT, policies: policies[name] as Record<string, PolicyDocument> });
  const processor = synth.jobDefinition(`${synth.stack.context.config.name}-processor`);
  return { synth, role, secrets: (processor.container.secrets ?? []) as { name: string; valueFrom: string }[] };
}

/** The secret's own ARN as IAM sees it (ECS reads the whole secret; a json-key suffix is not part of the ARN). */
const secretArn = (valueFrom: string) => valueFrom.split(":").slice(0, 7).join(":");

describe("what ECS and the apps must be able to do (Allowed)", () => {
  const full = stack(FULL);

  it("the processor's execution role reads every secret of the processor job definition", async () => {
    expect(full.secrets.length).toBe(5);
    for (const s of full.secrets)
      expect(await decide({ action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} }, full.role("mi-full-processor-exec")), s.name).toBe("Allowed");
  });

  it("the processor's execution role reads SSM parameters given as secrets (ssm:GetParameters), and only those", async () => {
    const parameter = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/${name}`;
    const s = stack(minimalConfig({ git: { credentialsSecretArn: parameter("git") } }));
    expect(s.secrets).toEqual([{ name: "GIT_CREDENTIALS", valueFrom: parameter("git") }]);
    expect(await decide({ action: "ssm:GetParameters", resource: parameter("git"), context: {} }, s.role("mi-test-processor-exec"))).toBe("Allowed");
    expect(await decide({ action: "ssm:GetParameters", resource: parameter("other"), context: {} }, s.role("mi-test-processor-exec"))).toMatch(/Denied$/);
    expect(await decide({ action: "ssm:GetParameters", resource: parameter("git"), context: {} }, s.role("mi-test-chunk-job"))).toMatch(/Denied$/);
  });

  it("the chunk job role submits processor jobs tagged with our tag keys (SubmitJob + tag-on-create TagResource)", async () => {
    const tags = { [TAGS.runId]: "r1", [TAGS.kind]: "array", [TAGS.retryOf]: "r0" };
    const context = { "aws:TagKeys": Object.keys(tags), ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])) };
    const role = full.role("mi-full-chunk-job");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "mi-full-queue"), context }, role)).toBe("Allowed");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-full-processor:3"), context }, role)).toBe("Allowed");
    expect(await decide({ action: "batch:TagResource", resource: batchArn("job", "4d3c2b1a"), context }, role)).toBe("Allowed");
  });
});

describe("the run-state store", () => {
  const s = stack(minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" }));

  it("both job roles read, write, delete and list under the state prefix, and nowhere else in that bucket", async () => {
    for (const role of ["mi-test-chunk-job", "mi-test-processor-job"]) {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
        expect(await decide({ action, resource: "arn:aws:s3:::state-bucket/mass-ingest/runs/r1/manifest.json", context: {} }, s.role(role))).toBe("Allowed");
      expect(await decide({ action: "s3:ListBucket", resource: "arn:aws:s3:::state-bucket", context: { "s3:prefix": "mass-ingest/runs/" } }, s.role(role))).toBe("Allowed");
      expect(await decide({ action: "s3:GetObject", resource: "arn:aws:s3:::state-bucket/other/x.json", context: {} }, s.role(role))).toMatch(/Denied$/);
      expect(await decide({ action: "s3:ListBucket", resource: "arn:aws:s3:::state-bucket", context: { "s3:prefix": "other/" } }, s.role(role))).toMatch(/Denied$/);
    }
    expect(await decide({ action: "s3:PutObject", resource: "arn:aws:s3:::state-bucket/mass-ingest/x", context: {} }, s.role("mi-test-processor-exec"))).toMatch(/Denied$/);
  });
});

describe("what no role may do (Denied)", () => {
  const full = stack(FULL);
  const denied = (d: string) => expect(d).toMatch(/Denied$/);

  it("the processor submits no jobs", async () => {
    for (const role of ["mi-full-processor-job", "mi-full-processor-exec"]) {
      denied(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "mi-full-queue"), context: {} }, full.role(role)));
      denied(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-full-processor:1"), context: {} }, full.role(role)));
    }
  });

  it("the chunker reads no secret values and no S3 object but the csv", async () => {
    const chunk = full.role("mi-full-chunk-job");
    for (const s of full.secrets) denied(await decide({ action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} }, chunk));
    expect(await decide({ action: "s3:GetObject", resource: "arn:aws:s3:::config-bucket/nightly/repos.csv", context: {} }, chunk)).toBe("Allowed");
    for (const other of ["arn:aws:s3:::config-bucket/nightly/other.csv", "arn:aws:s3:::config-bucket/secrets.txt", "arn:aws:s3:::lst-bucket/lsts/x.jar"])
      denied(await decide({ action: "s3:GetObject", resource: other, context: {} }, chunk));
    denied(await decide({ action: "s3:PutObject", resource: "arn:aws:s3:::config-bucket/nightly/repos.csv", context: {} }, chunk));
  });

  it("the chunk job role tags jobs with no other tag key, and tags nothing but jobs", async () => {
    const chunk = full.role("mi-full-chunk-job");
    denied(await decide({ action: "batch:TagResource", resource: batchArn("job", "1"), context: { "aws:TagKeys": ["owner"], "aws:RequestTag/owner": "x" } }, chunk));
    denied(await decide({ action: "batch:TagResource", resource: batchArn("job-queue", "mi-full-queue"), context: { "aws:TagKeys": [TAGS.runId], [`aws:RequestTag/${TAGS.runId}`]: "r" } }, chunk));
  });

  it("no role of one environment reads another environment's secrets", async () => {
    const { name: _n, ...shared } = minimalConfig() as Record<string, unknown>;
    const arn = (env: string, what: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${env}/${what}-AbCdEf`;
    const env = (id: string) => ({ name: `mi-${id}`, git: { credentialsSecretArn: arn(id, "git") }, moderne: { tokenSecretArn: arn(id, "moderne") } });
    const loaded = parseConfigFile({ defaults: shared, environments: { staging: env("staging"), prod: env("prod") } }, "two.json");
    for (const [mine, other] of [["staging", "prod"], ["prod", "staging"]] as const) {
      const config = loaded.environments.find((e) => e.id === mine)!.config;
      const s = stack(config);
      const roles = Object.keys(rolePolicies(s.synth.json, where));
      expect(roles.length).toBeGreaterThanOrEqual(5);
      for (const role of roles)
        for (const what of ["git", "moderne"]) {
          denied(await decide({ action: "secretsmanager:GetSecretValue", resource: arn(other, what), context: {} }, s.role(role)));
          denied(await decide({ action: "secretsmanager:DescribeSecret", resource: arn(other, what), context: {} }, s.role(role)));
        }
      expect(await decide({ action: "secretsmanager:GetSecretValue", resource: arn(mine, "git"), context: {} }, s.role(`mi-${mine}-processor-exec`))).toBe("Allowed");
    }
  });
});
