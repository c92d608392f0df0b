/**
 * Config rules that keep a deployment deployable: full secret ARNs (or SSM parameters, with exact IAM), the
 * metrics port wired to the processor, more csv objects for manual runs, one state key per environment and one
 * Batch service-linked role per account. Each failure names the field and says what to do.
 */
import { describe, expect, it } from "vitest";
import { parseConfigFile, parseDeploymentConfig } from "../src/config/load.js";
import { InfraError } from "../src/errors.js";
import { ACCOUNT, Synth, minimalConfig, secret } from "./helpers.js";

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InfraError) return [...error.issues];
    throw error;
  }
  throw new Error("expected an InfraError");
}
const deploymentIssues = (input: unknown) => issuesOf(() => parseDeploymentConfig(input, "cfg"));
const parameter = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/mass-ingest/${name}`;

describe("secret references", () => {
  it("a Secrets Manager ARN without its 6-character suffix is refused, naming the field and the fix", () => {
    const issues = deploymentIssues(
      minimalConfig({ git: { credentialsSecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:mass-ingest/git-credentials` } }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^cfg\.git\.credentialsSecretArn: is not a full Secrets Manager ARN: it must end in the 6-character suffix/);
    expect(issues[0]).toContain("aws secretsmanager describe-secret");
    const keyed = deploymentIssues(
      minimalConfig({
        publish: {
          url: "https://r.example/m",
          userSecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:publish:username::`,
          passwordSecretArn: secret("p", ":password::"),
        },
      }),
    );
    expect(keyed).toEqual([expect.stringMatching(/^cfg\.publish\.userSecretArn: is not a full Secrets Manager ARN/)]);
    expect(deploymentIssues(minimalConfig({ moderne: { tokenSecretArn: "mass-ingest/token" } }))).toEqual([
      expect.stringMatching(
        /^cfg\.moderne\.tokenSecretArn: is malformed: expected a Secrets Manager secret ARN, .* or an SSM parameter ARN/,
      ),
    ]);
  });

  it("SSM parameters are accepted wherever a secret ARN is, with ssm:GetParameters on exactly them and kms through SSM", () => {
    const kms = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const synth = new Synth(
      minimalConfig({
        moderne: { tokenSecretArn: parameter("moderne-token") },
        git: { credentialsSecretArn: secret("git"), sshKeySecretArn: parameter("ssh-key") },
        publish: { url: "https://r.example/m", tokenSecretArn: parameter("publish-token") },
        secretsKmsKeyArns: [kms],
      }),
    );
    const secrets = synth.jobDefinition("mi-test-processor").container.secrets as { name: string; valueFrom: string }[];
    expect(secrets).toEqual([
      { name: "MODERNE_TOKEN", valueFrom: parameter("moderne-token") },
      { name: "GIT_CREDENTIALS", valueFrom: secret("git") },
      { name: "GIT_SSH_CREDENTIALS", valueFrom: parameter("ssh-key") },
      { name: "PUBLISH_TOKEN", valueFrom: parameter("publish-token") },
    ]);
    expect(synth.statement("mi-test-processor-exec", "ReadConfiguredParameters")).toEqual({
      Sid: "ReadConfiguredParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameters"],
      Resource: [parameter("moderne-token"), parameter("publish-token"), parameter("ssh-key")],
    });
    expect(synth.statement("mi-test-processor-exec", "ReadConfiguredSecrets").Resource).toEqual([secret("git")]);
    expect(synth.statement("mi-test-processor-exec", "DecryptConfiguredSecrets").Condition).toEqual({
      StringLike: { "kms:ViaService": ["secretsmanager.*.amazonaws.com", "ssm.*.amazonaws.com"] },
    });
    // The chunker checks Secrets Manager secrets exist; SSM parameters are not checked, so no SSM grant there.
    expect(synth.statement("mi-test-chunk-job", "CheckProcessorSecretsExist").Resource).toEqual([secret("git")]);
    expect(JSON.stringify(synth.policies()["mi-test-chunk-job"])).not.toContain(":ssm:");
  });

  it("only SSM parameters: no Secrets Manager statement at all", () => {
    const synth = new Synth(minimalConfig({ git: { credentialsSecretArn: parameter("git") } }));
    expect(synth.sids("mi-test-processor-exec")).toEqual([
      "EcrAuthorization",
      "PullWorkerImage",
      "ReadConfiguredParameters",
      "WriteJobLogs",
    ]);
    expect(synth.sids("mi-test-chunk-job")).not.toContain("CheckProcessorSecretsExist");
  });
});

describe("network.metricsPort", () => {
  it("sets MOD_MONITOR_PORT on the processor, so `mod monitor` listens where the security group opens", () => {
    const synth = new Synth(minimalConfig({ network: { metricsPort: 9090, metricsCidr: "10.0.0.0/16" } }));
    const env = synth.jobDefinition("mi-test-processor").container.environment as { name: string; value: string }[];
    expect(env).toContainEqual({ name: "MOD_MONITOR_PORT", value: "9090" });
    expect(synth.one("aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 9090, to_port: 9090, cidr_ipv4: "10.0.0.0/16" });
    const without = new Synth(minimalConfig());
    expect((without.jobDefinition("mi-test-processor").container.environment as { name: string }[]).map((e) => e.name)).not.toContain(
      "MOD_MONITOR_PORT",
    );
  });

  it("processor.environment may not set MOD_MONITOR_PORT next to network.metricsPort", () => {
    expect(
      deploymentIssues(
        minimalConfig({
          network: { metricsPort: 9090, metricsCidr: "10.0.0.0/16" },
          processor: { environment: { MOD_MONITOR_PORT: "9091" } },
        }),
      ),
    ).toEqual(["cfg.processor.environment.MOD_MONITOR_PORT: is set by the stack from network.metricsPort; remove it here"]);
  });
});

describe("additionalCsvs (manual runs with another csv)", () => {
  it("both job roles may read the configured csv plus these objects and prefixes", () => {
    const synth = new Synth(
      minimalConfig({ csv: "s3://config-bucket/repos.csv", additionalCsvs: ["s3://config-bucket/hotfix.csv", "s3://adhoc-bucket/runs/"] }),
    );
    const resources = ["arn:aws:s3:::config-bucket/repos.csv", "arn:aws:s3:::config-bucket/hotfix.csv", "arn:aws:s3:::adhoc-bucket/runs/*"];
    expect(synth.statement("mi-test-chunk-job", "ReadReposCsv").Resource).toEqual(resources);
    expect(synth.statement("mi-test-processor-job", "ReadReposCsv").Resource).toEqual(resources);
  });

  it("only s3:// objects or prefixes", () => {
    expect(deploymentIssues(minimalConfig({ additionalCsvs: ["https://x.example/repos.csv", "s3://b"] }))).toEqual([
      "cfg.additionalCsvs.0: is malformed: expected s3://bucket/key, or s3://bucket/prefix/ for every object under it",
      "cfg.additionalCsvs.1: is malformed: expected s3://bucket/key, or s3://bucket/prefix/ for every object under it",
    ]);
  });
});

describe("across environments", () => {
  const { name: _n, ...shared } = minimalConfig() as Record<string, unknown>;

  it("a stateBackend in defaults would give every environment the same state: refused, naming the field", () => {
    const file = {
      defaults: { ...shared, stateBackend: { bucket: "tf-state", key: "mass-ingest.tfstate" } },
      environments: { a: { name: "mi-a" }, b: { name: "mi-b" } },
    };
    expect(issuesOf(() => parseConfigFile(file, "f.json"))).toEqual([
      expect.stringMatching(
        /^environments\.b\.stateBackend\.key: "mass-ingest\.tfstate" in bucket tf-state is already the state of environment a; every environment needs its own state key/,
      ),
    ]);
    // Also when only one of them is synthesized.
    expect(issuesOf(() => parseConfigFile(file, "f.json", { select: ["a"] }))).toHaveLength(1);
    const own = {
      ...file,
      environments: { a: { name: "mi-a" }, b: { name: "mi-b", stateBackend: { bucket: "tf-state", key: "b.tfstate" } } },
    };
    expect(parseConfigFile(own, "f.json").environments.map((e) => e.config.stateBackend?.key)).toEqual([
      "mass-ingest.tfstate",
      "b.tfstate",
    ]);
  });

  it("a bad value in defaults is reported once under defaults, naming the environments it reaches", () => {
    const file = {
      defaults: { ...shared, vpcId: "not-a-vpc", compute: { maxVcpus: "lots" } },
      environments: { a: { name: "mi-a" }, b: { name: "mi-b", vpcId: "vpc-0123abcd", region: "nowhere" } },
    };
    const issues = issuesOf(() => parseConfigFile(file, "f.json"));
    expect(issues).toEqual([
      expect.stringMatching(/^defaults\.vpcId: is malformed.* \(merged into environment a\)$/),
      expect.stringMatching(/^defaults\.compute\.maxVcpus: .* \(merged into environments a, b\)$/),
      expect.stringMatching(/^environments\.b\.region: is malformed/),
    ]);
  });

  it("two environments in one account may not both create the Batch service-linked role", () => {
    const file = {
      defaults: { ...shared, compute: { createServiceLinkedRole: true } },
      environments: { a: { name: "mi-a" }, b: { name: "mi-b" } },
    };
    expect(issuesOf(() => parseConfigFile(file, "f.json"))).toEqual([
      expect.stringMatching(
        /^environments\.b\.compute\.createServiceLinkedRole: environment a already creates AWSServiceRoleForBatch, of which an account has exactly one; set it to true in one environment per account \(or give each environment its accountId/,
      ),
    ]);
    const sameAccount = { ...file, defaults: { ...file.defaults, accountId: ACCOUNT } };
    expect(issuesOf(() => parseConfigFile(sameAccount, "f.json"))[0]).toMatch(/set it to true in one environment per account$/);
    const twoAccounts = {
      ...file,
      environments: { a: { name: "mi-a", accountId: "111111111111" }, b: { name: "mi-b", accountId: "222222222222" } },
    };
    expect(parseConfigFile(twoAccounts, "f.json").environments).toHaveLength(2);
  });

  it("accountId pins the AWS provider to that account", () => {
    const synth = new Synth(minimalConfig({ accountId: ACCOUNT }));
    expect((synth.json.provider as { aws: Record<string, unknown>[] }).aws[0]?.allowed_account_ids).toEqual([ACCOUNT]);
    expect(deploymentIssues(minimalConfig({ accountId: "12345" }))).toEqual([
      "cfg.accountId: is malformed: expected a 12-digit AWS account id",
    ]);
  });
});

describe("stateUrl and state (the run-state store)", () => {
  it("stateUrl takes an existing store: state.create or state.bucketName next to it is a conflict", () => {
    expect(deploymentIssues(minimalConfig({ stateUrl: "s3://state-bucket/x", state: { create: true } }))).toEqual([
      "cfg.state.create: conflicts with stateUrl: either the stack creates the state bucket or stateUrl names an existing one",
    ]);
    expect(deploymentIssues(minimalConfig({ stateUrl: "s3://state-bucket/x", state: { bucketName: "my-bucket" } }))).toEqual([
      "cfg.state.bucketName: conflicts with stateUrl (an existing state store); remove one of them",
    ]);
    expect(deploymentIssues(minimalConfig({ state: { bucketName: "My_Bucket", prefix: "/x/", retentionDays: 0 } }))).toEqual([
      "cfg.state.bucketName: is malformed: expected an S3 bucket name (3-63 lowercase letters, digits, dots and dashes)",
      "cfg.state.prefix: is malformed: expected a key prefix such as mass-ingest (no leading or trailing /)",
      "cfg.state.retentionDays: must be at least 1 (days to keep run records)",
    ]);
  });

  it("alarms need the alerts topic; the no-run alarm needs the run report; CA_CERTS and MOD_JAVA_OPTIONS are set once", () => {
    expect(deploymentIssues(minimalConfig({ alarms: { failedRepos: true } }))).toEqual([
      "cfg.alerts.enabled: must be true when an alarm is on (alarms publish to the alerts topic)",
    ]);
    expect(deploymentIssues(minimalConfig({ alerts: { enabled: true }, alarms: { noRunHours: 26 }, report: { enabled: false } }))).toEqual([
      "cfg.alarms.noRunHours: needs the run report (a state store and report.enabled): it watches the rule that reacts to finished runs",
    ]);
    expect(() =>
      parseDeploymentConfig(minimalConfig({ alerts: { enabled: true }, alarms: { noRunHours: 26, failedRepos: true } })),
    ).not.toThrow();
    const ca = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ca-AbCdEf";
    expect(
      deploymentIssues(
        minimalConfig({
          caCertsSecretArn: ca,
          processor: { modJavaOptions: "-Xmx4g", environment: { CA_CERTS: "/etc/ca.pem", MOD_JAVA_OPTIONS: "-Xmx2g" } },
        }),
      ),
    ).toEqual([
      "cfg.processor.environment.MOD_JAVA_OPTIONS: is set by processor.modJavaOptions too; keep one of them",
      "cfg.processor.environment.CA_CERTS: is set from caCertsSecretArn too; keep one of them",
    ]);
    expect(deploymentIssues(minimalConfig({ caCertsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ca" }))[0]).toMatch(
      /^cfg.caCertsSecretArn: is not a full Secrets Manager ARN/,
    );
  });

  it("sets STATE_URL on the processor and the chunker, and lets both job roles use exactly that prefix", () => {
    const synth = new Synth(minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" }));
    const env = (name: string) => synth.jobDefinition(name).container.environment as { name: string; value: string }[];
    expect(env("mi-test-processor")).toContainEqual({ name: "STATE_URL", value: "s3://state-bucket/mass-ingest" });
    expect(env("mi-test-chunk")).toContainEqual({ name: "STATE_URL", value: "s3://state-bucket/mass-ingest" });
    expect(synth.statement("mi-test-chunk-job", "ReadWriteStateStore")).toEqual({
      Sid: "ReadWriteStateStore",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: ["arn:aws:s3:::state-bucket/mass-ingest/state.json", "arn:aws:s3:::state-bucket/mass-ingest/runs/*"],
    });
    expect(synth.statement("mi-test-chunk-job", "ListStateStore").Condition).toEqual({
      StringLike: { "s3:prefix": ["mass-ingest/*", "mass-ingest"] },
    });
    expect(synth.statement("mi-test-processor-job", "ReadRunManifest").Resource).toEqual([
      "arn:aws:s3:::state-bucket/mass-ingest/runs/*/manifest.json",
    ]);
    expect(synth.statement("mi-test-processor-job", "ReadRunResults").Resource).toEqual([
      "arn:aws:s3:::state-bucket/mass-ingest/runs/*/results/*",
    ]);
    expect(synth.statement("mi-test-processor-job", "WriteOwnTaskResults").Resource).toEqual([
      "arn:aws:s3:::state-bucket/mass-ingest/runs/*/results/by-task/$${aws:userid}/*",
    ]);
    // A state store given by stateUrl is taken, not created.
    expect(synth.all("aws_s3_bucket")).toEqual([]);
    const without = new Synth(minimalConfig({ state: { create: false } }));
    expect((without.jobDefinition("mi-test-chunk").container.environment as { name: string }[]).map((e) => e.name)).not.toContain(
      "STATE_URL",
    );
    expect(without.sids("mi-test-chunk-job")).not.toContain("ReadWriteStateStore");
    expect(without.all("aws_batch_job_definition")).toHaveLength(2);
  });

  it("only s3:// (a path in the container would be gone with it), and processor.environment may not set STATE_URL", () => {
    expect(deploymentIssues(minimalConfig({ stateUrl: "/var/moderne/state" }))).toEqual([
      "cfg.stateUrl: is malformed: expected s3://bucket/prefix",
    ]);
    expect(deploymentIssues(minimalConfig({ processor: { environment: { STATE_URL: "s3://x-bucket/y" } } }))).toEqual([
      "cfg.processor.environment.STATE_URL: is set by the stack from its own field; remove it here",
    ]);
  });
});

describe("processor.largeMemoryMiB", () => {
  it("must be more than processor.memoryMiB, and a Fargate size", () => {
    expect(deploymentIssues(minimalConfig({ processor: { memoryMiB: 16384, largeMemoryMiB: 16384 } }))).toEqual([
      "cfg.processor.largeMemoryMiB: must be more than processor.memoryMiB (16384): it is the memory retry's larger size",
    ]);
    const fargate = deploymentIssues(
      minimalConfig({ compute: { type: "FARGATE" }, processor: { memoryMiB: 16384, largeMemoryMiB: 65536 } }),
    );
    expect(fargate).toHaveLength(1);
    expect(fargate[0]).toMatch(/^cfg\.processor\.largeMemoryMiB: /);
    expect(deploymentIssues.bind(null, minimalConfig({ processor: { memoryMiB: 16384, largeMemoryMiB: 30720 } }))).toThrow(
      "expected an InfraError",
    );
  });
});
