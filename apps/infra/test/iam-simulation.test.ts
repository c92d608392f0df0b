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
import { decide, keyPolicyTrustingAccount } from "./iam/simulate.js";

const where = { partition: "aws", region: "us-east-1", account: ACCOUNT };
const batchArn = (kind: string, name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:${kind}/${name}`;

function stack(config: unknown) {
  const synth = new Synth(config);
  const policies = rolePolicies(synth.json, where);
  const role = (name: string) => ({
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    account: ACCOUNT,
    policies: policies[name] as Record<string, PolicyDocument>,
  });
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
      expect(
        await decide(
          { action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} },
          full.role("mi-full-processor-exec"),
        ),
        s.name,
      ).toBe("Allowed");
  });

  it("the processor's execution role reads SSM parameters given as secrets (ssm:GetParameters), and only those", async () => {
    const parameter = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/${name}`;
    const s = stack(minimalConfig({ git: { credentialsSecretArn: parameter("git") } }));
    expect(s.secrets).toEqual([{ name: "GIT_CREDENTIALS", valueFrom: parameter("git") }]);
    expect(await decide({ action: "ssm:GetParameters", resource: parameter("git"), context: {} }, s.role("mi-test-processor-exec"))).toBe(
      "Allowed",
    );
    expect(
      await decide({ action: "ssm:GetParameters", resource: parameter("other"), context: {} }, s.role("mi-test-processor-exec")),
    ).toMatch(/Denied$/);
    expect(await decide({ action: "ssm:GetParameters", resource: parameter("git"), context: {} }, s.role("mi-test-chunk-job"))).toMatch(
      /Denied$/,
    );
  });

  it("the chunk job role publishes a stopped rollout's alert to the alerts topic named in its environment, and to no other", async () => {
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:mi-full-job-failures`;
    const env = (full.synth.jobDefinition("mi-full-chunk").container.environment ?? []) as { name: string; value: string }[];
    expect(env.find((e) => e.name === "ALERTS_TOPIC_ARN")?.value.replace("${data.aws_caller_identity.identity.account_id}", ACCOUNT)).toBe(
      topic,
    );
    expect(await decide({ action: "sns:Publish", resource: topic, context: {} }, full.role("mi-full-chunk-job"))).toBe("Allowed");
    expect(await decide({ action: "sns:Publish", resource: `${topic}-other`, context: {} }, full.role("mi-full-chunk-job"))).toMatch(
      /Denied$/,
    );
    expect(await decide({ action: "sns:Publish", resource: topic, context: {} }, full.role("mi-full-processor-job"))).toMatch(/Denied$/);
  });

  it("the chunk job role submits processor jobs tagged with our tag keys (SubmitJob + tag-on-create TagResource)", async () => {
    const tags = { [TAGS.runId]: "r1", [TAGS.kind]: "array", [TAGS.retryOf]: "r0" };
    const context = {
      "aws:TagKeys": Object.keys(tags),
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    };
    const role = full.role("mi-full-chunk-job");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "mi-full-queue"), context }, role)).toBe("Allowed");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-full-processor:3"), context }, role)).toBe(
      "Allowed",
    );
    expect(await decide({ action: "batch:TagResource", resource: batchArn("job", "4d3c2b1a"), context }, role)).toBe("Allowed");
  });

  it("with processor.largeMemoryMiB: a second processor job definition (that memory, one build at a time) the chunk job may submit", async () => {
    const large = stack(minimalConfig({ processor: { memoryMiB: 8192, largeMemoryMiB: 32768 } }));
    const def = large.synth.jobDefinition("mi-test-processor-large");
    const main = large.synth.jobDefinition("mi-test-processor");
    const env = (d: typeof def) =>
      Object.fromEntries((d.container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(def.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "4" },
      { type: "MEMORY", value: "32768" },
    ]);
    expect(env(def)).toEqual({ ...env(main), BUILD_CONCURRENCY: "1" });
    expect(def.container.command).toEqual(main.container.command);
    const chunkEnv = env(large.synth.jobDefinition("mi-test-chunk"));
    expect(chunkEnv.JOB_DEFINITION_LARGE).toBe(large.synth.ref("aws_batch_job_definition", "mi-test-processor-large", "arn"));
    const role = large.role("mi-test-chunk-job");
    const context = { "aws:TagKeys": [TAGS.runId] };
    for (const name of ["mi-test-processor-large:2", "mi-test-processor:2"])
      expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", name), context }, role), name).toBe("Allowed");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-test-chunk:2"), context }, role)).toMatch(
      /Denied$/,
    );
    // without the setting: no such job definition, no variable, no grant
    const plain = stack(minimalConfig());
    expect(plain.synth.all("aws_batch_job_definition").map((d) => d.name)).not.toContain("mi-test-processor-large");
    expect(env(plain.synth.jobDefinition("mi-test-chunk")).JOB_DEFINITION_LARGE).toBeUndefined();
    expect(
      await decide(
        { action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-test-processor-large:1"), context },
        plain.role("mi-test-chunk-job"),
      ),
    ).toMatch(/Denied$/);
  });
});

describe("the run-state store: each role exactly what it does there", () => {
  const taken = stack(minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" }));
  const created = stack(
    minimalConfig({
      accountId: ACCOUNT,
      state: { kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
    }),
  );
  const object = (key: string, bucket = "state-bucket") => `arn:aws:s3:::${bucket}/mass-ingest/${key}`;
  const list = (prefix: string, bucket = "state-bucket") => ({
    action: "s3:ListBucket",
    resource: `arn:aws:s3:::${bucket}`,
    context: { "s3:prefix": prefix },
  });
  const get = (key: string) => ({ action: "s3:GetObject", resource: object(key), context: {} });
  const put = (key: string) => ({ action: "s3:PutObject", resource: object(key), context: {} });
  const del = (key: string) => ({ action: "s3:DeleteObject", resource: object(key), context: {} });
  // an array child's session (ECS names a task role's session after the task): aws:userid is <role-id>:<task-id>
  const TASK_USER = "AROAEXAMPLEPROCESSOR1:0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  const ownResult = `runs/r1/results/by-task/${TASK_USER}/p3.json`;
  const asTask = (call: { action: string; resource: string }) => ({ ...call, context: { "aws:userid": TASK_USER } });
  const check = async (role: string, calls: Parameters<typeof decide>[0][], expected: string) => {
    for (const call of calls)
      expect(await decide(call, taken.role(role)), `${role} ${call.action} ${call.resource}`).toMatch(
        expected === "Allowed" ? /^Allowed$/ : /Denied$/,
      );
  };

  it("chunk job role: state.json (conditional writes), the run folders, listing the prefix", async () => {
    const allowed = [
      get("state.json"),
      put("state.json"),
      del("state.json"),
      put("runs/r1/manifest.json"),
      put("runs/r1/selection.json"),
      get("runs/r1/results/p1.json"),
      list("mass-ingest/runs/"),
    ];
    await check("mi-test-chunk-job", allowed, "Allowed");
    await check(
      "mi-test-chunk-job",
      [get("other.json"), { ...get("x"), resource: "arn:aws:s3:::state-bucket/other/x" }, list("other/")],
      "Denied",
    );
  });

  it("processor job role: its run's manifest, result records under runs/*/results/, writes under its own task's prefix only", async () => {
    await check(
      "mi-test-processor-job",
      [get("runs/r1/manifest.json"), get("runs/r1/results/p3.json"), asTask(get(ownResult)), asTask(put(ownResult))],
      "Allowed",
    );
    await check(
      "mi-test-processor-job",
      [asTask(put("runs/r1/results/p3.json")), put(ownResult), asTask(put(ownResult.replace(":0f1e", ":a1b2")))],
      "Denied",
    );
    await check(
      "mi-test-processor-job",
      [
        get("state.json"),
        put("state.json"),
        put("runs/r1/manifest.json"),
        put("runs/r1/report.html"),
        del("runs/r1/results/p3.json"),
        list("mass-ingest/"),
      ],
      "Denied",
    );
  });

  it("report job role: reads everything, writes runs/*/report.html|json only", async () => {
    await check(
      "mi-test-report-job",
      [
        get("state.json"),
        get("runs/r1/manifest.json"),
        get("runs/r1/results/p1.json"),
        list("mass-ingest/runs/"),
        put("runs/r1/report.html"),
        put("runs/r1/report.json"),
      ],
      "Allowed",
    );
    await check(
      "mi-test-report-job",
      [
        put("state.json"),
        put("runs/r1/manifest.json"),
        put("runs/r1/results/p1.json"),
        del("runs/r1/report.html"),
        { ...get("x"), resource: "arn:aws:s3:::state-bucket/other/x" },
      ],
      "Denied",
    );
  });

  it("no execution role touches the state", async () => {
    for (const role of ["mi-test-processor-exec", "mi-test-chunk-exec", "mi-test-report-exec"])
      await check(role, [get("state.json"), put("runs/r1/report.html")], "Denied");
  });

  it("a created bucket (named <name>-state-<account>, KMS-encrypted): the same grants, and the key through S3 only", async () => {
    const bucket = `mi-test-state-${ACCOUNT}`;
    const role = (name: string) => created.role(name);
    expect(await decide({ action: "s3:PutObject", resource: object("state.json", bucket), context: {} }, role("mi-test-chunk-job"))).toBe(
      "Allowed",
    );
    expect(
      await decide(
        asTask({ action: "s3:PutObject", resource: object(`runs/r/results/by-task/${TASK_USER}/p1.json`, bucket) }),
        role("mi-test-processor-job"),
      ),
    ).toBe("Allowed");
    expect(
      await decide({ action: "s3:PutObject", resource: object("runs/r/report.html", bucket), context: {} }, role("mi-test-report-job")),
    ).toBe("Allowed");
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    for (const name of ["mi-test-chunk-job", "mi-test-processor-job", "mi-test-report-job"])
      for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
        const keyPolicy = keyPolicyTrustingAccount(ACCOUNT);
        expect(
          await decide({ action, resource: key, context: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } }, role(name), keyPolicy),
          `${name} ${action}`,
        ).toBe("Allowed");
        expect(
          await decide(
            { action, resource: key, context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
            role(name),
            keyPolicy,
          ),
        ).toMatch(/Denied$/);
      }
  });
});

describe("the run report's rule and the chunk job's secrets", () => {
  const full = stack(FULL);

  it("the run-finished rule's role submits exactly the report job definition to exactly this queue", async () => {
    const role = full.role("mi-full-run-finished");
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "mi-full-queue"), context: {} }, role)).toBe(
      "Allowed",
    );
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-full-report:4"), context: {} }, role)).toBe(
      "Allowed",
    );
    for (const other of ["mi-full-processor:1", "mi-full-chunk:1", "other:1"])
      expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-definition", other), context: {} }, role)).toMatch(
        /Denied$/,
      );
    expect(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "other-queue"), context: {} }, role)).toMatch(
      /Denied$/,
    );
  });

  it("the chunk execution role injects exactly the git credentials (and CA_CERTS); the chunk job role reads no secret value", async () => {
    const chunkDef = full.synth.jobDefinition("mi-full-chunk");
    const injected = (chunkDef.container.secrets ?? []) as { name: string; valueFrom: string }[];
    expect(injected.map((s) => s.name)).toEqual(["GIT_CREDENTIALS", "GIT_SSH_CREDENTIALS"]);
    for (const s of injected) {
      expect(
        await decide(
          { action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} },
          full.role("mi-full-chunk-exec"),
        ),
      ).toBe("Allowed");
      expect(
        await decide(
          { action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} },
          full.role("mi-full-chunk-job"),
        ),
      ).toMatch(/Denied$/);
    }
    for (const other of full.secrets.filter((s) => !s.name.startsWith("GIT_")))
      expect(
        await decide(
          { action: "secretsmanager:GetSecretValue", resource: secretArn(other.valueFrom), context: {} },
          full.role("mi-full-chunk-exec"),
        ),
        other.name,
      ).toMatch(/Denied$/);
    const ca = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/ca-certs`;
    const withCa = stack(minimalConfig({ caCertsSecretArn: ca }));
    for (const role of ["mi-test-processor-exec", "mi-test-chunk-exec", "mi-test-report-exec"])
      expect(await decide({ action: "ssm:GetParameters", resource: ca, context: {} }, withCa.role(role)), role).toBe("Allowed");
    expect(await decide({ action: "ssm:GetParameters", resource: ca, context: {} }, withCa.role("mi-test-chunk-job"))).toMatch(/Denied$/);
  });
});

describe("what no role may do (Denied)", () => {
  const full = stack(FULL);
  const denied = (d: string) => expect(d).toMatch(/Denied$/);

  it("the processor submits no jobs", async () => {
    for (const role of ["mi-full-processor-job", "mi-full-processor-exec"]) {
      denied(await decide({ action: "batch:SubmitJob", resource: batchArn("job-queue", "mi-full-queue"), context: {} }, full.role(role)));
      denied(
        await decide(
          { action: "batch:SubmitJob", resource: batchArn("job-definition", "mi-full-processor:1"), context: {} },
          full.role(role),
        ),
      );
    }
  });

  it("the chunker reads no secret values and no S3 object but the csv", async () => {
    const chunk = full.role("mi-full-chunk-job");
    for (const s of full.secrets)
      denied(await decide({ action: "secretsmanager:GetSecretValue", resource: secretArn(s.valueFrom), context: {} }, chunk));
    expect(await decide({ action: "s3:GetObject", resource: "arn:aws:s3:::config-bucket/nightly/repos.csv", context: {} }, chunk)).toBe(
      "Allowed",
    );
    for (const other of [
      "arn:aws:s3:::config-bucket/nightly/other.csv",
      "arn:aws:s3:::config-bucket/secrets.txt",
      "arn:aws:s3:::lst-bucket/lsts/x.jar",
    ])
      denied(await decide({ action: "s3:GetObject", resource: other, context: {} }, chunk));
    denied(await decide({ action: "s3:PutObject", resource: "arn:aws:s3:::config-bucket/nightly/repos.csv", context: {} }, chunk));
  });

  it("the chunk job role tags jobs with no other tag key, and tags nothing but jobs", async () => {
    const chunk = full.role("mi-full-chunk-job");
    denied(
      await decide(
        { action: "batch:TagResource", resource: batchArn("job", "1"), context: { "aws:TagKeys": ["owner"], "aws:RequestTag/owner": "x" } },
        chunk,
      ),
    );
    denied(
      await decide(
        {
          action: "batch:TagResource",
          resource: batchArn("job-queue", "mi-full-queue"),
          context: { "aws:TagKeys": [TAGS.runId], [`aws:RequestTag/${TAGS.runId}`]: "r" },
        },
        chunk,
      ),
    );
  });

  it("no role of one environment reads another environment's secrets", async () => {
    const { name: _n, ...shared } = minimalConfig() as Record<string, unknown>;
    const arn = (env: string, what: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${env}/${what}-AbCdEf`;
    const env = (id: string) => ({
      name: `mi-${id}`,
      git: { credentialsSecretArn: arn(id, "git") },
      moderne: { tokenSecretArn: arn(id, "moderne") },
    });
    const loaded = parseConfigFile({ defaults: shared, environments: { staging: env("staging"), prod: env("prod") } }, "two.json");
    for (const [mine, other] of [
      ["staging", "prod"],
      ["prod", "staging"],
    ] as const) {
      const config = loaded.environments.find((e) => e.id === mine)!.config;
      const s = stack(config);
      const roles = Object.keys(rolePolicies(s.synth.json, where));
      expect(roles.length).toBeGreaterThanOrEqual(5);
      for (const role of roles)
        for (const what of ["git", "moderne"]) {
          denied(await decide({ action: "secretsmanager:GetSecretValue", resource: arn(other, what), context: {} }, s.role(role)));
          denied(await decide({ action: "secretsmanager:DescribeSecret", resource: arn(other, what), context: {} }, s.role(role)));
        }
      expect(
        await decide(
          { action: "secretsmanager:GetSecretValue", resource: arn(mine, "git"), context: {} },
          s.role(`mi-${mine}-processor-exec`),
        ),
      ).toBe("Allowed");
    }
  });
});
