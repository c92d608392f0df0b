/**
 * The coherence test: holds infra, chunker and processor together.
 *
 * 1. Synthesize the stack and register its processor job definition (command + parameter defaults, as synthesized)
 *    in a real moto_server.
 * 2. Start the REAL chunker with the chunk job definition's own command line and environment: it reads repos.csv
 *    from (moto) S3 and submits the array job.
 * 3. Read the submitted job's parameters back from moto, substitute them into the synthesized processor command the
 *    way AWS Batch does, and run the REAL processor with that command line and AWS_BATCH_JOB_ARRAY_INDEX = k - 1,
 *    against the loopback git server and the Moderne CLI stand-in.
 * 4. Check it processed exactly the rows the run's manifest (state store in moto S3) plans for child k - 1 and put
 *    its logs where docs/moderne-cli.md says (moto S3).
 * 5. Feed the synthesized run-finished rule's input transformer an array parent's event, run the report job
 *    definition's command with it, and find the report in the state store.
 * 6. moto's recorder captured every AWS request of the chunker, the processors and the report job: each becomes the IAM action(s)
 *    AWS authorizes (resource ARN, request tags) and is simulated against the synthesized policy of the role that
 *    makes it in AWS (chunk job role, processor job role); the processor execution role must read every secret
 *    the job definition injects. Every one must be Allowed.
 */
import { mkdtempSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
} from "@aws-sdk/client-batch";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CHUNKER_BIN, PROCESSOR_BIN, substituteCommand } from "@mass-ingest/contract";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { runProcess, type ProcessResult } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeJobDefinitions, type SynthesizedJobDefinitions } from "../src/job-definitions-view.js";
import type { PolicyDocument } from "../src/iam-policy.js";
import { minimalConfig } from "./helpers.js";
import { rolePolicies } from "./iam/policies.js";
import { callsFromRecording, motoRecorder, type AwsCall, type Recorder } from "./iam/recording.js";
import { decisions } from "./iam/simulate.js";
import { taskSession } from "./iam/task-session.js";
import { transformInput } from "./events/eventbridge.js";

const apps = fileURLToPath(new URL("../..", import.meta.url));
/** The binaries of the image, run from source here (tsx resolves the workspace libraries). */
const BINARIES: Record<string, { cwd: string; main: string }> = {
  [CHUNKER_BIN]: { cwd: join(apps, "chunker"), main: "src/main.ts" },
  [PROCESSOR_BIN]: { cwd: join(apps, "processor"), main: "src/main.ts" },
};

/** Run a job definition's command line (after parameter substitution) the way the container would. */
function runCommand(command: readonly string[], env: Record<string, string>): Promise<ProcessResult> {
  const [bin, ...args] = command;
  const target = BINARIES[bin ?? ""];
  if (target === undefined) throw new Error(`the job definition runs ${bin}, which is not one of the image's binaries`);
  return runProcess(process.execPath, ["--import", "tsx", target.main, ...args], {
    cwd: target.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...env },
  });
}

const REPOS = 7;
const PARTITION_SIZE = 3;
const RUN_ID = "coherence-1";

let moto: Moto;
let git: GitServer;
let mod: ModStandIn;
let work: string;
let batch: BatchClient;
let s3: S3Client;
let defs: SynthesizedJobDefinitions;
let queueArn: string;
let cloneUrls: string[];
let chunkRun: ProcessResult;
let recorder: Recorder;
/** moto writes its recording here (MOTO_RECORDER_FILEPATH, read by moto_server at start). */
const recordingDir = mkdtempSync(join(tmpdir(), "mass-ingest-recording-"));
process.env.MOTO_RECORDER_FILEPATH = join(recordingDir, "recording.jsonl");
/** The AWS requests each app made, as recorded by moto. */
const recorded = { chunker: "", processor: [] as string[], operator: [] as string[], report: "" };
/** Each array child's role session (`aws:userid`), by its recording: its calls are simulated with it. */
const processorSessions: string[] = [];
let gitSecretArn: string;

beforeAll(async () => {
  [moto, git] = await Promise.all([startMoto(), startGitServer()]);
  mod = await createModStandIn();
  work = await mkdtemp(join(tmpdir(), "mass-ingest-coherence-"));
  const aws = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
  batch = new BatchClient(aws);
  s3 = new S3Client({ ...aws, forcePathStyle: true });

  cloneUrls = [];
  for (let i = 1; i <= REPOS; i++) {
    await git.createRepo(`org/service-${i}`, { files: { "README.md": `service ${i}\n` } });
    cloneUrls.push(git.httpUrl(`org/service-${i}`));
  }
  const csv = ["cloneUrl,branch", ...cloneUrls.map((u) => `${u},main`)].join("\n") + "\n";
  await s3.send(new CreateBucketCommand({ Bucket: "config-bucket" }));
  await s3.send(new CreateBucketCommand({ Bucket: "lst-bucket" }));
  await s3.send(new CreateBucketCommand({ Bucket: "state-bucket" }));
  await s3.send(new PutObjectCommand({ Bucket: "config-bucket", Key: "nightly/repos.csv", Body: csv }));
  // A secret the processor job definition injects: the chunker checks it exists, ECS reads it with the execution role.
  const secrets = new SecretsManagerClient(aws);
  gitSecretArn = (
    await secrets.send(new CreateSecretCommand({ Name: "coherence/git-credentials", SecretString: "https://u:t@git.example\n" }))
  ).ARN!;
  secrets.destroy();
  recorder = motoRecorder(moto.endpoint, process.env.MOTO_RECORDER_FILEPATH!);

  // The AWS side of the deployment, in moto: compute environment and queue, then the processor job definition
  // exactly as synthesized.
  const iam = new IAMClient(aws);
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: "coherence-batch-service",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "batch.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  // the processor job role, so moto's STS gives its sessions one stable role id (AROA...), as IAM does
  await iam.send(
    new CreateRoleCommand({
      RoleName: "coherence-processor-job",
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
  );
  iam.destroy();
  const ce = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: "coherence-ce",
      type: "UNMANAGED",
      state: "ENABLED",
      serviceRole: role.Role!.Arn!,
    }),
  );
  const queue = await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: "coherence-queue",
      state: "ENABLED",
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn! }],
    }),
  );
  queueArn = queue.jobQueueArn!;

  const config = minimalConfig({
    name: "coherence",
    region: moto.region,
    csv: "s3://config-bucket/nightly/repos.csv",
    partitionSize: PARTITION_SIZE,
    publish: { url: "s3://lst-bucket/lsts" },
    s3: { endpoint: moto.endpoint, region: moto.region },
    git: { credentialsSecretArn: gitSecretArn },
    stateUrl: "s3://state-bucket/mass-ingest",
  });
  const first = synthesizeJobDefinitions(config);
  const registered = await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: first.processor.name,
      type: "container",
      parameters: first.processor.parameters,
      containerProperties: {
        image: first.processor.image,
        command: first.processor.command,
        environment: Object.entries(first.processor.environment).map(([name, value]) => ({ name, value })),
        secrets: Object.entries(first.processor.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
        resourceRequirements: [
          { type: "VCPU", value: String(first.processor.vcpus) },
          { type: "MEMORY", value: String(first.processor.memoryMiB) },
        ],
      },
    }),
  );
  defs = synthesizeJobDefinitions(config, { jobQueueArn: queueArn, processorJobDefinitionArn: registered.jobDefinitionArn! });

  // What EventBridge Scheduler starts: the chunk job definition's command with its parameter defaults and its
  // environment (moto's endpoint and test credentials added: in AWS they come from the job role).
  await recorder.start();
  chunkRun = await runCommand(substituteCommand(defs.chunk.command, {}, defs.chunk.parameters), {
    ...defs.chunk.environment,
    ...moto.env,
    RUN_ID,
  });
  recorded.chunker = await recorder.stop();
});

afterAll(async () => {
  batch?.destroy();
  s3?.destroy();
  await Promise.all([moto?.stop(), git?.stop()]);
  mod?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
  await rm(recordingDir, { recursive: true, force: true });
});

async function submittedJob() {
  const listed = await batch.send(new ListJobsCommand({ jobQueue: queueArn, filters: [{ name: "JOB_NAME", values: ["*"] }] }));
  // Array children (`<parent>:<index>`) are listed too; the submissions are the parents.
  const ids = (listed.jobSummaryList ?? []).map((j) => j.jobId!).filter((id) => !id.includes(":"));
  const described = await batch.send(new DescribeJobsCommand({ jobs: ids }));
  return described.jobs ?? [];
}

describe("infra + chunker + processor hold together", () => {
  it("the chunk job definition's command and environment start the real chunker, which submits one array job", async () => {
    expect(chunkRun.code, chunkRun.stderr).toBe(0);
    const jobs = await submittedJob();
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.jobDefinition).toContain(defs.processor.name);
    expect(job.arrayProperties?.size).toBe(Math.ceil(REPOS / PARTITION_SIZE));
    // Every parameter the chunker sends is one the processor job definition declares (no typo can slip through).
    for (const name of Object.keys(job.parameters ?? {})) expect(Object.keys(defs.processor.parameters)).toContain(name);
    // And every placeholder of the processor command gets a value: from the submission or the definition's defaults.
    const command = substituteCommand(defs.processor.command, job.parameters ?? {}, defs.processor.parameters);
    expect(command.join(" ")).not.toContain("Ref::");
  });

  for (const k of [2, 3]) {
    it(`array child ${k - 1} runs with the substituted processor command and processes exactly the rows the plan gives partition ${k}`, async () => {
      const job = (await submittedJob())[0]!;
      const command = substituteCommand(defs.processor.command, job.parameters ?? {}, defs.processor.parameters);
      expect(command[0]).toBe(PROCESSOR_BIN);
      const dataDir = join(work, `child-${k}`);
      // As in AWS Batch: the child's job id, and its task role's credentials (a session named after its task).
      const session = await taskSession(
        moto.endpoint,
        `arn:aws:iam::123456789012:role/coherence-processor-job`,
        `task${k}0f1e2d3c4b5a6978`,
      );
      mod.reset();
      await recorder.start();
      const run = await runCommand(command, {
        ...defs.processor.environment,
        ...moto.env,
        ...session.env,
        ...mod.env,
        DATA_DIR: dataDir,
        MOD_CLI: mod.command,
        AWS_BATCH_JOB_ID: `${job.jobId}:${k - 1}`,
        AWS_BATCH_JOB_ARRAY_INDEX: String(k - 1),
      });
      recorded.processor.push(await recorder.stop());
      processorSessions.push(session.userId);
      expect(run.stderr + run.stdout).toContain("result record: this task's own key");
      expect(run.code, run.stderr).toBe(0);

      // With a state store the chunker plans by predicted time: array child k - 1 runs the rows the run's manifest
      // (in the state store) lists for it, not a fixed row range.
      const manifest = JSON.parse(
        await (
          await s3.send(new GetObjectCommand({ Bucket: "state-bucket", Key: `mass-ingest/runs/${RUN_ID}/manifest.json` }))
        ).Body!.transformToString(),
      ) as { partitions: { rows: { row: number }[] }[] };
      const rows = manifest.partitions[k - 1]!.rows.map((r) => r.row).sort((a, b) => a - b);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(PARTITION_SIZE);
      const expected = rows.map((row) => cloneUrls[row - 1]!);
      const label = `${rows[0]}-${rows[rows.length - 1]}`;
      // The processor's own report: exactly the rows of partition k, all ok.
      const reportDir = join(dataDir, "logs", label);
      const [ts] = await readdir(reportDir);
      const reportName = (await readdir(join(reportDir, ts!))).find((f) => f.startsWith("ingest-report-"));
      const report = JSON.parse(await readFile(join(reportDir, ts!, reportName!), "utf8")) as {
        repos: { row: number; cloneUrl: string; status: string }[];
      };
      expect(report.repos.map((r) => r.row).sort((a, b) => a - b)).toEqual(rows);
      expect(report.repos.map((r) => r.cloneUrl).sort()).toEqual([...expected].sort());
      expect(report.repos.every((r) => r.status === "ok")).toBe(true);
      // The CLI stand-in synced and published exactly those repositories, to the S3 store the job definition names.
      const published = await mod.published();
      expect(published.map((p) => p.store)).toEqual(expected.map(() => "s3"));
      expect(published.map((p) => p.repo).sort()).toEqual(
        expected.map((u) => new URL(u).pathname.replace(/^\//, "").replace(/\.git$/, "")).sort(),
      );

      // The logs landed where Moderne looks for them: <PUBLISH_URL>/.logs/<START-END>/<TS>/...
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: "lst-bucket", Prefix: `lsts/.logs/${label}/` }));
      const keys = (objects.Contents ?? []).map((o) => o.Key!);
      expect(keys.some((key) => /\/ingest-log-cli-\d{12}-\d+-\d+\.zip$/.test(key))).toBe(true);
      expect(keys.some((key) => /\/ingest-sync-log-cli-\d{12}-\d+-\d+\.zip$/.test(key))).toBe(true);
    });
  }

  it("the chunker's status and retry commands read the run back with the chunk job's wiring", async () => {
    const env = { ...defs.chunk.environment, ...moto.env };
    for (const command of [
      ["status", RUN_ID],
      ["retry", RUN_ID],
    ]) {
      await recorder.start();
      const run = await runCommand([CHUNKER_BIN, ...command], env);
      recorded.operator.push(await recorder.stop());
      // status: 0 when every job succeeded, 1 when some failed (moto runs no containers: jobs may still be queued).
      expect([0, 1], `${command.join(" ")}: ${run.stderr}`).toContain(run.code);
    }
    expect(recorded.operator.join("")).toContain("/v1/");
  });

  it("the run-finished rule's input starts the report job definition's command, which writes the run's report into the state store", async () => {
    const job = (await submittedJob())[0]!;
    const report = defs.report!;
    // What EventBridge sends when the array parent finishes: the synthesized rule's input transformer on its event.
    const rules = (defs.terraform as { resource: { aws_cloudwatch_event_target: Record<string, Record<string, unknown>> } }).resource
      .aws_cloudwatch_event_target;
    const target = Object.values(rules).find((t) => t.target_id === "report-job")!;
    const event = {
      detail: { status: "SUCCEEDED", parameters: job.parameters ?? {}, arrayProperties: { size: job.arrayProperties?.size ?? 0 } },
    };
    const input = JSON.parse(
      transformInput(target.input_transformer as { input_paths: Record<string, string>; input_template: string }, event),
    ) as { Parameters: Record<string, string> };
    expect(input.Parameters).toEqual({ runId: RUN_ID });
    const command = substituteCommand(report.command, input.Parameters, report.parameters);
    expect(command).toEqual([CHUNKER_BIN, "report", RUN_ID]);
    await recorder.start();
    const run = await runCommand(command, { ...report.environment, ...moto.env });
    recorded.report = await recorder.stop();
    expect(run.code, run.stderr).toBe(0);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: "state-bucket", Prefix: `mass-ingest/runs/${RUN_ID}/report.` }));
    expect((objects.Contents ?? []).map((o) => o.Key).sort()).toEqual([
      `mass-ingest/runs/${RUN_ID}/report.html`,
      `mass-ingest/runs/${RUN_ID}/report.json`,
    ]);
  });

  it("every AWS call the chunker and the processors made is Allowed by the role that makes it in AWS", async () => {
    const where = { partition: "aws", region: moto.region, account: "123456789012" };
    const policies = rolePolicies(defs.terraform, where);
    const role = (name: string) => ({
      arn: `arn:aws:iam::${where.account}:role/${name}`,
      account: where.account,
      policies: policies[name] as Record<string, PolicyDocument>,
    });
    // status and retry are operator commands; inside AWS only the chunk job role could run them.
    const chunkCalls = [recorded.chunker, ...recorded.operator].flatMap((r) => callsFromRecording(r, where));
    const processorCalls = recorded.processor.flatMap((r) => callsFromRecording(r, where));
    const actions = (calls: AwsCall[]) => [...new Set(calls.map((c) => c.action))].sort();
    // The calls the apps are known to make; a new one shows up here and gets simulated below.
    expect(actions(chunkCalls)).toEqual(
      expect.arrayContaining(["batch:SubmitJob", "batch:TagResource", "s3:GetObject", "secretsmanager:DescribeSecret"]),
    );
    expect(actions(processorCalls)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject"]));
    const allowed = (lines: string[]) => lines.filter((l) => !l.endsWith("-> Allowed"));
    expect(allowed(await decisions(chunkCalls, role("coherence-chunk-job")))).toEqual([]);
    // each child as the session ECS makes for its task: assumed-role/<role>/<task-id>
    const asChild = (i: number) => ({
      ...role("coherence-processor-job"),
      arn: `arn:aws:sts::${where.account}:assumed-role/coherence-processor-job/${processorSessions[i]?.split(":")[1] ?? ""}`,
    });
    const childDecisions = recorded.processor.map((r, i) =>
      decisions(
        callsFromRecording(r, where).map((c) => ({ ...c, context: { ...c.context, "aws:userid": processorSessions[i] ?? "" } })),
        asChild(i),
      ),
    );
    expect(allowed((await Promise.all(childDecisions)).flat())).toEqual([]);
    // The report job: its own role, reading the state and writing runs/<runId>/report.*.
    const reportCalls = callsFromRecording(recorded.report, where);
    expect(actions(reportCalls)).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject"]));
    expect(allowed(await decisions(reportCalls, role("coherence-report-job")))).toEqual([]);
    // What ECS does before the processor starts: inject every secret of the job definition with the execution role.
    const injected = Object.values(defs.processor.secrets).map((valueFrom) => ({
      action: "secretsmanager:GetSecretValue",
      resource: valueFrom.split(":").slice(0, 7).join(":"),
      context: {},
    }));
    expect(injected).toHaveLength(1);
    expect(allowed(await decisions(injected, role("coherence-processor-exec")))).toEqual([]);
    // ECS before the chunk job starts: exactly the git credentials, with the chunk execution role.
    const chunkInjected = Object.entries(defs.chunk.secrets).map(([, valueFrom]) => ({
      action: "secretsmanager:GetSecretValue",
      resource: valueFrom.split(":").slice(0, 7).join(":"),
      context: {},
    }));
    expect(Object.keys(defs.chunk.secrets)).toEqual(["GIT_CREDENTIALS"]);
    expect(allowed(await decisions(chunkInjected, role("coherence-chunk-exec")))).toEqual([]);
  });
});
