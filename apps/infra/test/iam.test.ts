import { beforeAll, describe, expect, it } from "vitest";
import { UNSCOPABLE_ACTIONS, policy, secretResourceArn } from "../src/iam-policy.js";
import { csvReadStatements, lstWriteStatements } from "../src/s3-access.js";
import { FARGATE, FULL } from "./fixtures.js";
import { ACCOUNT, Synth, minimalConfig, secret } from "./helpers.js";

const IDENTITY = "${data.aws_caller_identity.identity.account_id}";
const ECR_REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/mass-ingest`;

let base: Synth;
let full: Synth;
let fargate: Synth;

beforeAll(() => {
  base = new Synth(minimalConfig());
  full = new Synth(FULL);
  fargate = new Synth(FARGATE);
});

const each = () =>
  [
    ["base", base],
    ["full", full],
    ["fargate", fargate],
  ] as const;

describe("every IAM statement of every configuration", () => {
  it("has no wildcard action, and `*` resources only for actions AWS cannot scope", () => {
    let count = 0;
    for (const [label, s] of each()) {
      for (const [role, docs] of Object.entries(s.policies())) {
        for (const [name, doc] of Object.entries(docs)) {
          expect(doc.Version).toBe("2012-10-17");
          for (const st of doc.Statement) {
            count++;
            const where = `${label} ${role}/${name}/${st.Sid}`;
            expect(st.Effect, where).toBe("Allow");
            for (const action of st.Action) expect(action, where).not.toContain("*");
            if (st.Resource.includes("*")) {
              expect(st.Resource, where).toEqual(["*"]);
              for (const action of st.Action) expect(UNSCOPABLE_ACTIONS.has(action), `${where} ${action}`).toBe(true);
            }
          }
        }
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it("only the processor and chunk execution roles may read secrets (ECS injects them), and exactly the configured ones", () => {
    for (const [label, s] of each()) {
      const { config } = s.stack.context;
      const git = config.git.credentialsSecretArn !== undefined || config.git.sshKeySecretArn !== undefined;
      for (const [role, docs] of Object.entries(s.policies())) {
        const actions = Object.values(docs).flatMap((d) => d.Statement.flatMap((st) => st.Action));
        const reads = actions.includes("secretsmanager:GetSecretValue");
        const expected = (role.endsWith("-processor-exec") && config.name !== "mi-test") || (role.endsWith("-chunk-exec") && git);
        expect(reads, `${label} ${role}`).toBe(expected);
      }
    }
    // The chunk job gets exactly the git credentials (its ls-remote pass), nothing more.
    expect(full.statement("mi-full-chunk-exec", "ReadConfiguredSecrets").Resource).toEqual([secret("git"), secret("ssh")].sort());
    // ECS asks for the secret itself: the json-key suffixes of valueFrom are dropped, duplicates merged.
    expect(full.statement("mi-full-processor-exec", "ReadConfiguredSecrets").Resource).toEqual(
      [secret("git"), secret("moderne"), secret("publish"), secret("ssh")].sort(),
    );
    expect(full.statement("mi-full-processor-exec", "DecryptConfiguredSecrets")).toEqual({
      Sid: "DecryptConfiguredSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } },
    });
    expect(fargate.statement("mi-fargate-processor-exec", "ReadConfiguredSecrets").Resource).toEqual([secret("publish-token")]);
  });

  it("roles are trusted by the right service, guarded by the source account", () => {
    for (const [, s] of each()) {
      for (const role of s.all("aws_iam_role")) {
        const trust = JSON.parse(role.assume_role_policy as string) as {
          Statement: { Principal: { Service: string }; Condition?: unknown }[];
        };
        const name = role.name as string;
        const service = name.endsWith("-scheduler")
          ? "scheduler.amazonaws.com"
          : name.endsWith("-ecs-instance")
            ? "ec2.amazonaws.com"
            : name.endsWith("-run-finished")
              ? "events.amazonaws.com"
              : "ecs-tasks.amazonaws.com";
        expect(trust.Statement, name).toHaveLength(1);
        expect(trust.Statement[0]?.Principal, name).toEqual({ Service: service });
        if (service !== "ec2.amazonaws.com")
          expect(trust.Statement[0]?.Condition, name).toEqual({ StringEquals: { "aws:SourceAccount": IDENTITY } });
      }
    }
  });

  it("a permissions boundary, when configured, is on every role", () => {
    for (const role of full.all("aws_iam_role"))
      expect(role.permissions_boundary, role.name as string).toBe(`arn:aws:iam::${ACCOUNT}:policy/platform-boundary`);
    for (const role of base.all("aws_iam_role")) expect(role.permissions_boundary, role.name as string).toBeUndefined();
  });
});

describe("execution roles", () => {
  it("pull the image from its ECR repository and write to this deployment's log group", () => {
    for (const role of ["mi-test-processor-exec", "mi-test-chunk-exec"]) {
      expect(base.sids(role)).toEqual(["EcrAuthorization", "PullWorkerImage", "WriteJobLogs"]);
      expect(base.statement(role, "EcrAuthorization")).toMatchObject({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
      expect(base.statement(role, "PullWorkerImage")).toMatchObject({
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: [ECR_REPO_ARN],
      });
      expect(base.statement(role, "WriteJobLogs")).toMatchObject({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${base.refOne("aws_cloudwatch_log_group", "arn")}:*`],
      });
    }
  });

  it("use the created repository's ARN, and no ECR rights for images outside ECR", () => {
    expect(full.statement("mi-full-processor-exec", "PullWorkerImage").Resource).toEqual([full.refOne("aws_ecr_repository", "arn")]);
    expect(full.sids("mi-full-chunk-exec")).toEqual([
      "DecryptConfiguredSecrets",
      "EcrAuthorization",
      "PullWorkerImage",
      "ReadConfiguredSecrets",
      "WriteJobLogs",
    ]);
    expect(full.sids("mi-full-report-exec")).toEqual(["EcrAuthorization", "PullWorkerImage", "WriteJobLogs"]);
    expect(fargate.sids("mi-fargate-processor-exec")).toEqual(["ReadConfiguredSecrets", "WriteJobLogs"]);
    expect(fargate.sids("mi-fargate-chunk-exec")).toEqual(["WriteJobLogs"]);
  });
});

describe("job roles", () => {
  it("chunk: submit to this queue and the processor job definition only, tag on submit, watch jobs", () => {
    expect(base.sids("mi-test-chunk-job")).toEqual([
      "ListStateStore",
      "ReadWriteStateStore",
      "SubmitProcessorJobs",
      "TagSubmittedJobs",
      "WatchJobs",
    ]);
    const prefix = base.ref("aws_batch_job_definition", "mi-test-processor", "arn_prefix");
    expect(base.statement("mi-test-chunk-job", "SubmitProcessorJobs")).toEqual({
      Sid: "SubmitProcessorJobs",
      Effect: "Allow",
      Action: ["batch:SubmitJob"],
      Resource: [base.refOne("aws_batch_job_queue", "arn"), prefix, `${prefix}:*`],
    });
    expect(base.statement("mi-test-chunk-job", "TagSubmittedJobs")).toEqual({
      Sid: "TagSubmittedJobs",
      Effect: "Allow",
      Action: ["batch:TagResource"],
      Resource: [`arn:aws:batch:us-east-1:${IDENTITY}:job/*`],
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["mass-ingest:run-id", "mass-ingest:kind", "mass-ingest:retry-of"] } },
    });
    expect(base.statement("mi-test-chunk-job", "WatchJobs")).toMatchObject({
      Action: ["batch:DescribeJobQueues", "batch:DescribeJobDefinitions", "batch:DescribeJobs", "batch:ListJobs"],
      Resource: ["*"],
    });
  });

  it("chunk: may check that the processor's secrets exist (metadata only), exactly those", () => {
    expect(full.statement("mi-full-chunk-job", "CheckProcessorSecretsExist")).toEqual({
      Sid: "CheckProcessorSecretsExist",
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret"],
      Resource: [secret("git"), secret("moderne"), secret("publish"), secret("ssh")].sort(),
    });
    expect(full.sids("mi-full-chunk-job")).toEqual([
      "CheckProcessorSecretsExist",
      "ListStateStore",
      "PublishAlerts",
      "ReadReposCsv",
      "ReadWriteStateStore",
      "SubmitProcessorJobs",
      "TagSubmittedJobs",
      "WatchJobs",
    ]);
  });

  it("chunk: reads exactly the csv object when it is in S3", () => {
    expect(full.statement("mi-full-chunk-job", "ReadReposCsv")).toEqual({
      Sid: "ReadReposCsv",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::config-bucket/nightly/repos.csv"],
    });
  });

  it("processor: writes LSTs under the s3:// publish prefix only", () => {
    expect(base.sids("mi-test-processor-job")).toEqual([
      "ListLstPrefix",
      "ReadRunManifest",
      "ReadRunResults",
      "WriteLsts",
      "WriteOwnTaskResults",
    ]);
    expect(base.statement("mi-test-processor-job", "WriteLsts")).toEqual({
      Sid: "WriteLsts",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: ["arn:aws:s3:::lst-bucket/lsts/*"],
    });
    expect(base.statement("mi-test-processor-job", "ListLstPrefix")).toEqual({
      Sid: "ListLstPrefix",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: ["arn:aws:s3:::lst-bucket"],
      Condition: { StringLike: { "s3:prefix": ["lsts/*", "lsts"] } },
    });
  });

  it("processor: reads the s3 csv; no S3 rights at all when nothing is in S3 (no state store either)", () => {
    expect(full.sids("mi-full-processor-job")).toEqual(["ReadReposCsv", "ReadRunManifest", "ReadRunResults", "WriteOwnTaskResults"]);
    expect(fargate.sids("mi-fargate-processor-job")).toEqual(["ReadRunManifest", "ReadRunResults", "WriteOwnTaskResults"]);
    const stateless = new Synth({ ...(FARGATE as Record<string, unknown>), state: { create: false } });
    expect(stateless.policies()["mi-fargate-processor-job"]).toEqual({});
  });

  it("scheduler: submits exactly the chunk job definition to exactly this queue", () => {
    expect(base.sids("mi-test-scheduler")).toEqual(["SubmitChunkJob"]);
    const prefix = base.ref("aws_batch_job_definition", "mi-test-chunk", "arn_prefix");
    expect(base.statement("mi-test-scheduler", "SubmitChunkJob")).toEqual({
      Sid: "SubmitChunkJob",
      Effect: "Allow",
      Action: ["batch:SubmitJob"],
      Resource: [base.refOne("aws_batch_job_queue", "arn"), prefix, `${prefix}:*`],
    });
  });

  it("instance role: the AWS managed ECS policy instead of the scoped agent statements when asked", () => {
    const managed = new Synth(minimalConfig({ iam: { managedInstancePolicy: true } }));
    expect(managed.one("aws_iam_role_policy_attachment")).toMatchObject({
      role: managed.ref("aws_iam_role", "mi-test-ecs-instance", "name"),
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    });
    expect(managed.sids("mi-test-ecs-instance")).toEqual(["EcrAuthorization", "PullWorkerImage", "WriteJobLogs"]);
    const attachment = Object.keys(managed.resources("aws_iam_role_policy_attachment"))[0];
    expect(managed.one("aws_batch_compute_environment").depends_on).toContain(`aws_iam_role_policy_attachment.${attachment}`);
    expect(base.all("aws_iam_role_policy_attachment")).toHaveLength(0);
    expect(full.all("aws_iam_role_policy_attachment")).toHaveLength(0);
  });

  it("instance role: ECS agent in this cluster, image pull, logs; nothing for Fargate", () => {
    expect(base.sids("mi-test-ecs-instance")).toEqual([
      "EcrAuthorization",
      "EcsAgent",
      "EcsDiscoverPollEndpoint",
      "PullWorkerImage",
      "WriteJobLogs",
    ]);
    expect(base.statement("mi-test-ecs-instance", "EcsDiscoverPollEndpoint").Resource).toEqual(["*"]);
    expect(fargate.policies()["mi-fargate-ecs-instance"]).toBeUndefined();
  });
});

describe("policy helpers", () => {
  it("refuse wildcard actions and `*` on actions that can be scoped", () => {
    expect(() => policy([{ Sid: "A", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b/*"] }])).toThrow(
      /wildcard action s3:\*/,
    );
    expect(() => policy([{ Sid: "B", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }])).toThrow(/grants s3:GetObject on "\*"/);
    expect(() => policy([{ Sid: "C", Effect: "Allow", Action: ["batch:ListJobs"], Resource: ["*"] }])).not.toThrow();
  });

  it("scope secrets and S3 locations", () => {
    expect(secretResourceArn(secret("x", ":password::"))).toBe(secret("x"));
    expect(secretResourceArn(secret("x"))).toBe(secret("x"));
    expect(csvReadStatements("/app/repos.csv", "aws")).toEqual([]);
    expect(csvReadStatements("https://x/repos.csv", "aws")).toEqual([]);
    expect(csvReadStatements("s3://b/k.csv", "aws-cn")[0]?.Resource).toEqual(["arn:aws-cn:s3:::b/k.csv"]);
    const whole = lstWriteStatements("s3://bucket", "aws");
    expect(whole.map((s) => s.Resource)).toEqual([["arn:aws:s3:::bucket/*"], ["arn:aws:s3:::bucket"]]);
    expect(whole[1]?.Condition).toBeUndefined();
    expect(lstWriteStatements("https://repo.example.com", "aws")).toEqual([]);
  });
});
