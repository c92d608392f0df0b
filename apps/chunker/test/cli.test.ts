// The chunker, spawned as a real process (from source through tsx), against a real moto_server.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { runProcess, type ProcessResult } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchApi } from "@mass-ingest/batch";
import {
  createBatchEnv,
  deleteSecret,
  describeJob,
  putS3Object,
  setDockerMode,
  type BatchEnv,
} from "../../../packages/batch/test/fixtures/batch-env.js";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const fakeProcessor = fileURLToPath(new URL("../../../packages/batch/test/fixtures/fake-processor.mjs", import.meta.url));

let moto: Moto;
let env: BatchEnv;
let dir: string;
let csv: string;

/** The chunker from source (tsx resolves the workspace libraries), with moto's credentials and no JOB_* settings. */
function chunker(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: appDir,
    env: {
      ...process.env,
      ...moto.env,
      JOB_QUEUE: undefined,
      JOB_DEFINITION: undefined,
      JOB_NAME: undefined,
      PARTITION_SIZE: undefined,
      ...extraEnv,
    },
  });
}

beforeAll(async () => {
  moto = await startMoto();
  env = await createBatchEnv(moto, "cli");
  dir = await mkdtemp(join(tmpdir(), "chunker-cli-"));
  csv = join(dir, "repos.csv");
  const rows = Array.from({ length: 120 }, (_, i) => `https://github.com/org/repo-${i},main`);
  await writeFile(csv, ["cloneUrl,branch", ...rows].join("\n") + "\n");
});
afterAll(async () => {
  env?.client.destroy();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("mass-ingest-chunker", () => {
  it("--help lists the commands", async () => {
    const r = await chunker(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["submit", "status", "retry"]) expect(r.stdout).toContain(c);
  });

  it("submit --dry-run prints the plan and the API calls, submits nothing, needs no queue", async () => {
    const r = await chunker(["submit", csv, "--dry-run", "--run-id", "dry"], { PARTITION_SIZE: "25" });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dryRun: true, runId: "dry", rowCount: 120, partitionSize: 25, submitJobCalls: 1 });
    // Without a state store (none given, a Batch plan) the dry run says that it plans every row.
    expect(r.stderr).toContain("dry run without a state store");
    expect(r.stderr).toContain("STATE_URL");
    expect(out.partitions).toHaveLength(5);
    expect(out.partitions[4]).toEqual({ partition: 5, start: 101, end: 120 });
    const submitCall = out.calls.find((c: { operation: string }) => c.operation === "batch:SubmitJob");
    expect(submitCall.input.arrayProperties).toEqual({ size: 5 });
  });

  it("reads the csv from s3:// (AWS_ENDPOINT_URL honoured) and passes that location to the children", async () => {
    const url = await putS3Object(moto, "cli-repos", "nightly/repos.csv", await readFile(csv, "utf8"));
    const r = await chunker(["submit", url, "--run-id", "s3run", "--partition-size", "100", "--json"], {
      JOB_QUEUE: env.queue,
      JOB_DEFINITION: env.jobDefinition,
    });
    expect(r.code, r.stderr).toBe(0);
    const job = await describeJob(env, JSON.parse(r.stdout).jobs[0].jobId);
    expect(job.parameters).toMatchObject({ csv: url, rowCount: "120", partitionSize: "100" });
    expect(job.arrayProperties?.size).toBe(2);
  });

  it("with a state store: one array child per planned partition, the plan parameter naming the run's manifest", async () => {
    const state = join(dir, "state");
    const common = { JOB_QUEUE: env.queue, JOB_DEFINITION: env.jobDefinition, STATE_URL: state, MOD_CLI: join(dir, "no-mod") };
    const r = await chunker(["submit", csv, "--run-id", "st1", "--partition-size", "50", "--time-budget", "10h", "--json"], common);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(state, "runs", "st1", "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ kind: "mass-ingest/run-manifest", runId: "st1", csv: { location: csv, rowCount: 120 } });
    expect(manifest.partitions).toHaveLength(3);
    const job = await describeJob(env, JSON.parse(r.stdout).jobs[0].jobId);
    expect(job.arrayProperties?.size).toBe(3);
    expect(job.parameters).toMatchObject({ csv, rowCount: "120", plan: join(state, "runs", "st1", "manifest.json"), start: "0", end: "0" });
    expect(r.stderr).toContain("no-mod --version");
    // the same run id again reuses the manifest and submits nothing new
    const again = await chunker(["submit", csv, "--run-id", "st1"], common);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already submitted");
    expect(again.stderr).toContain("was planned before");
  });

  it("exit 2 with a message naming the setting when the queue is missing or unknown, or the csv is missing", async () => {
    const missing = await chunker(["submit", csv, "--job-definition", env.jobDefinition]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--job-queue");
    expect(missing.stderr).toContain("JOB_QUEUE");
    const unknown = await chunker(["submit", csv, "--run-id", "x1"], { JOB_QUEUE: "nope-queue", JOB_DEFINITION: env.jobDefinition });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("JOB_QUEUE_NOT_FOUND");
    expect(unknown.stderr).toContain("nope-queue");
    const noCsv = await chunker(["submit", join(dir, "nope.csv"), "--dry-run"]);
    expect(noCsv.code).toBe(2);
    expect(noCsv.stderr).toContain("CSV_NOT_FOUND");
    const badSize = await chunker(["submit", csv, "--dry-run"], { PARTITION_SIZE: "zero" });
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain("PARTITION_SIZE");
    const badExecutor = await chunker(["submit", csv, "--dry-run", "--executor", "nope"]);
    expect(badExecutor.code).toBe(2);
    expect(badExecutor.stderr).toContain("--executor");
    expect(badExecutor.stderr).toContain("batch, local");
  });

  it("exit 2 naming the secret when the job definition references a missing one", async () => {
    await deleteSecret(env, env.jsonSecretArn);
    const r = await chunker([
      "submit",
      csv,
      "--run-id",
      "sec1",
      "--job-queue",
      env.queue,
      "--job-definition",
      env.jobDefinitionWithSecrets,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SECRET_NOT_FOUND");
    expect(r.stderr).toContain("PUBLISH_PASSWORD");
  });

  it("submit, submit again (idempotent), status, and status/retry of a failed run with exit codes", async () => {
    const common = { JOB_QUEUE: env.queue, JOB_DEFINITION: env.jobDefinition, JOB_NAME: "nightly", PARTITION_SIZE: "50" };
    const first = await chunker(["submit", csv, "--run-id", "n1", "--json"], common);
    expect(first.code, first.stderr).toBe(0);
    const submitted = JSON.parse(first.stdout);
    expect(submitted).toMatchObject({ runId: "n1", alreadySubmitted: false, submitted: 1 });
    expect(submitted.apiCalls.SubmitJob).toBe(1);
    const job = await describeJob(env, submitted.jobs[0].jobId);
    expect(job.jobName).toBe("nightly-n1");
    expect(job.arrayProperties?.size).toBe(3);
    expect(job.parameters).toMatchObject({ csv, rowCount: "120", partitionSize: "50" });
    // JSON log lines on stderr (not a TTY).
    const logLine = first.stderr.split("\n").find((l) => l.startsWith("{"));
    expect(JSON.parse(logLine!)).toMatchObject({ name: "chunker" });

    const again = await chunker(["submit", csv, "--run-id", "n1"], common);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already submitted");

    const status = await chunker(["status", "n1", "--json", "--wait", "--interval", "1"], common);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ runId: "n1", total: 3, counts: { SUCCEEDED: 3, FAILED: 0 }, ok: true });

    await setDockerMode(moto, true);
    const failing = await chunker(["submit", csv, "--run-id", "f1", "--json"], common);
    await setDockerMode(moto, false);
    expect(failing.code, failing.stderr).toBe(0);
    const failedJobId = JSON.parse(failing.stdout).jobs[0].jobId as string;
    const failedStatus = await chunker(["status", failedJobId, "--wait", "--interval", "1"], common);
    expect(failedStatus.code).toBe(1);
    expect(failedStatus.stdout).toContain("partition 3 FAILED");
    const retry = await chunker(["retry", "f1", "--json"], common);
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ runId: "f1", partitions: [1, 2, 3] });
    const after = await chunker(["status", "f1", "--wait", "--interval", "1", "--json"], common);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ counts: { SUCCEEDED: 3, FAILED: 0 } });
  });

  /** Ids of a run's jobs in the test queue (default job name; array children left out), straight from moto. */
  async function jobsOfRun(runId: string): Promise<string[]> {
    const out = await createBatchApi({ client: env.client }).listJobs({
      jobQueue: env.queue,
      filters: [{ name: "JOB_NAME", values: [`mass-ingest-${runId}*`] }],
    });
    return (out.jobSummaryList ?? []).map((j) => j.jobId!).filter((id) => !id.includes(":"));
  }

  it("invalid and duplicate rows are counted and named with line numbers, then skipped; --strict lists every problem, exit 2, submits nothing", async () => {
    // 14 data rows (row n is on line n + 1): six invalid in six different ways, row 13 repeats row 1.
    const broken: Record<number, string> = {
      2: "ext::sh -c id,main",
      4: "https://github.com/org/bad-4,a..b",
      6: "ftp://github.com/org/bad-6.git,main",
      8: ",main",
      10: "https://github.com/org/bad-10,has space",
      12: "ext::sh -c whoami,main",
      13: "https://github.com/org/ok-1,main",
    };
    const rows = Array.from({ length: 14 }, (_, i) => broken[i + 1] ?? `https://github.com/org/ok-${i + 1},main`);
    const mixed = join(dir, "mixed.csv");
    await writeFile(mixed, ["cloneUrl,branch", ...rows].join("\n") + "\n");
    const common = { JOB_QUEUE: env.queue, JOB_DEFINITION: env.jobDefinition, PARTITION_SIZE: "5" };

    const strict = await chunker(["submit", mixed, "--strict", "--run-id", "mixed1", "--json"], common);
    expect(strict.code, strict.stderr).toBe(2);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toContain("[INVALID_ROWS] 6 of 14 row(s)");
    expect(strict.stderr).toContain("nothing submitted");
    for (const row of [2, 4, 6, 8, 10, 12, 13]) expect(strict.stderr).toContain(`line ${row + 1} (row ${row})`);
    expect(strict.stderr).toContain("Same clone URL and branch as row 1");
    expect(strict.stderr).toContain("hint:");
    expect(await jobsOfRun("mixed1")).toEqual([]);

    const lenient = await chunker(["submit", mixed, "--run-id", "mixed1", "--json"], common);
    expect(lenient.code, lenient.stderr).toBe(0);
    const submitted = JSON.parse(lenient.stdout);
    expect(submitted).toMatchObject({ runId: "mixed1", submitted: 1 });
    // every row is planned (the processors skip the bad ones by row number), so the ranges stay the file's rows
    const job = await describeJob(env, submitted.jobs[0].jobId);
    expect(job.parameters).toMatchObject({ rowCount: "14", partitionSize: "5" });
    expect(job.arrayProperties?.size).toBe(3);
    expect(await jobsOfRun("mixed1")).toEqual([submitted.jobs[0].jobId]);
    const warning = lenient.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l))
      .find((l) => l.invalidRows !== undefined && l.level === 40);
    expect(warning).toMatchObject({ rowCount: 14, invalidRows: 6, duplicateRows: 1 });
    expect(warning.msg).toContain("6 invalid and 1 duplicate row(s) of 14 will be skipped by the processors");
    // a few are named (the first five invalid rows and the duplicate), the rest counted
    for (const row of [2, 4, 6, 8, 10, 13]) expect(warning.msg).toContain(`line ${row + 1} (row ${row})`);
    expect(warning.msg).not.toContain("line 13 (row 12)");
    expect(warning.msg).toContain("and 1 more row(s)");
    expect(warning.examples.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, "REMOTE_HELPER_TRANSPORT"],
      [4, "INVALID_BRANCH"],
      [6, "UNSUPPORTED_URL_SCHEME"],
      [8, "MISSING_CLONE_URL"],
      [10, "INVALID_BRANCH"],
      [13, "DUPLICATE_ROW"],
    ]);

    const dry = await chunker(["submit", mixed, "--dry-run"], { PARTITION_SIZE: "5" });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ rowCount: 14, invalidRows: 6, duplicateRows: 1 });
    const clean = await chunker(["submit", csv, "--strict", "--dry-run"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ rowCount: 120, invalidRows: 0, duplicateRows: 0 });
  });

  it("exit 2 and nothing submitted when the csv itself is unusable (file-level problems), from a path or s3://", async () => {
    const common = { JOB_QUEUE: env.queue, JOB_DEFINITION: env.jobDefinition };
    const noHeader = join(dir, "no-header.csv");
    await writeFile(noHeader, "url,branch\nhttps://github.com/org/a,main\n");
    const r = await chunker(["submit", noHeader, "--run-id", "unusable1"], common);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[MISSING_CLONE_URL_HEADER]");
    expect(r.stderr).toContain("hint:");
    const url = await putS3Object(moto, "cli-repos", "broken/repos.csv", 'cloneUrl,branch\nhttps://github.com/org/a,"main\n');
    const s3 = await chunker(["submit", url, "--run-id", "unusable2"], common);
    expect(s3.code).toBe(2);
    expect(s3.stderr).toMatch(/\[MALFORMED_CSV\]/);
    const headerOnly = join(dir, "header-only.csv");
    await writeFile(headerOnly, "cloneUrl,branch\n");
    const empty = await chunker(["submit", headerOnly, "--run-id", "unusable3"], common);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("[EMPTY_CSV]");
    for (const runId of ["unusable1", "unusable2", "unusable3"]) expect(await jobsOfRun(runId)).toEqual([]);
  });

  it("--executor local runs the processor per partition and exits 1 when one fails", async () => {
    const record = join(dir, "record");
    await mkdir(record);
    const r = await chunker(
      [
        "submit",
        csv,
        "--executor",
        "local",
        "--no-state",
        "--partition-size",
        "40",
        "--parallel",
        "2",
        "--processor",
        `${process.execPath} ${fakeProcessor}`,
        "--run-id",
        "loc",
      ],
      {
        RECORD_DIR: record,
        EXIT_CODES: "2:1",
      },
    );
    expect(r.code).toBe(1);
    // in words, repositories as well as partitions
    expect(r.stdout).toContain(
      "run loc (local): 120 repositories in 3 partitions: 2 partitions succeeded (80 repositories), 1 failed (40 repositories)",
    );
    expect((await readdir(record)).sort()).toEqual(["1.json", "2.json", "3.json"]);
    const one = join(dir, "one.csv");
    await writeFile(one, "cloneUrl,branch\nhttps://github.com/org/solo,main\n");
    const single = await chunker(
      ["submit", one, "--executor", "local", "--no-state", "--processor", `${process.execPath} ${fakeProcessor}`, "--run-id", "one"],
      { RECORD_DIR: record },
    );
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toContain(
      "run one (local): 1 repository in 1 partition: 1 partition succeeded (1 repository), 0 failed (0 repositories)",
    );
    const missing = await chunker(["submit", csv, "--executor", "local", "--no-state", "--processor", join(dir, "no-processor")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("PROCESSOR_NOT_FOUND");
  });
});
