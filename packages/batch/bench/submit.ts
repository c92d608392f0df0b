/**
 * Benchmark: submit 10,000 repositories in partitions of 50 to AWS Batch (one moto_server, one run):
 *   1. @mass-ingest/batch array submission (library, in process): checks + idempotency lookup + 1 SubmitJob
 *   2. the chunker CLI end to end (spawned `mass-ingest-chunker submit`, from source through tsx)
 *   3. @mass-ingest/batch --per-partition (200 SubmitJob, 8 in flight, adaptive retry)
 *   4. today's deployment script: a loop of 200 `aws batch submit-job` calls (AWS CLI v1), one per partition
 * Run: node --import tsx bench/submit.ts   (from packages/batch; needs moto_server and aws on PATH)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { countRows, planBySize } from "@mass-ingest/partition";
import { startMoto } from "@mass-ingest/testkit/moto";
import { runProcess } from "@mass-ingest/testkit/process";
import { openCsv } from "@mass-ingest/core/aws";
import { createBatchApi, planSubmission, submit } from "../src/index.js";
import { awsOptions, createBatchEnv } from "../test/fixtures/batch-env.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const SIZE = 50;

const moto = await startMoto();
const dir = await mkdtemp(join(tmpdir(), "bench-submit-"));
try {
  const env = await createBatchEnv(moto, "bench");
  const csv = join(dir, "repos.csv");
  const lines = ["cloneUrl,branch"];
  for (let i = 0; i < ROWS; i++) lines.push(`https://github.com/bench-org/repo-${i},main`);
  await writeFile(csv, lines.join("\n") + "\n");
  const results: { name: string; apiCalls: number; submitJobCalls: number; ms: number; note: string }[] = [];

  // 1. library, array mode
  {
    const batch = createBatchApi(awsOptions(moto));
    const t0 = performance.now();
    const rowCount = await countRows(await openCsv(csv));
    const plan = planSubmission({
      plan: planBySize(rowCount, SIZE),
      csv,
      runId: "bench-array",
      jobQueue: env.queue,
      jobDefinition: env.jobDefinition,
    });
    const result = await submit(plan, { batch });
    const ms = performance.now() - t0;
    if (result.jobs.length !== 1 || result.jobs[0]!.arraySize !== ROWS / SIZE) throw new Error("unexpected submission");
    const apiCalls = Object.values(batch.calls).reduce((a, b) => a + b, 0);
    results.push({
      name: "@mass-ingest/batch array job (library)",
      apiCalls,
      submitJobCalls: batch.calls.SubmitJob ?? 0,
      ms,
      note: `calls: ${JSON.stringify(batch.calls)}; includes reading + counting the csv`,
    });
  }

  // 2. chunker CLI, spawned
  {
    const appDir = fileURLToPath(new URL("../../../apps/chunker/", import.meta.url));
    const t0 = performance.now();
    const r = await runProcess(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/main.ts",
        "submit",
        csv,
        "--run-id",
        "bench-cli",
        "--job-queue",
        env.queue,
        "--job-definition",
        env.jobDefinition,
        "--json",
      ],
      { cwd: appDir, env: { ...process.env, ...moto.env } },
    );
    const ms = performance.now() - t0;
    if (r.code !== 0) throw new Error(`chunker failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { apiCalls: Record<string, number> };
    const apiCalls = Object.values(out.apiCalls).reduce((a, b) => a + b, 0);
    results.push({
      name: "mass-ingest-chunker submit (1 process, tsx)",
      apiCalls,
      submitJobCalls: out.apiCalls.SubmitJob ?? 0,
      ms,
      note: `calls: ${JSON.stringify(out.apiCalls)}; includes node + tsx start-up`,
    });
  }

  // 3. library, per-partition mode
  {
    const batch = createBatchApi(awsOptions(moto));
    const t0 = performance.now();
    const rowCount = await countRows(await openCsv(csv));
    const plan = planSubmission({
      plan: planBySize(rowCount, SIZE),
      csv,
      runId: "bench-pp",
      jobQueue: env.queue,
      jobDefinition: env.jobDefinition,
      mode: "per-partition",
    });
    await submit(plan, { batch, concurrency: 8 });
    const ms = performance.now() - t0;
    const apiCalls = Object.values(batch.calls).reduce((a, b) => a + b, 0);
    results.push({
      name: "@mass-ingest/batch --per-partition (8 in flight)",
      apiCalls,
      submitJobCalls: batch.calls.SubmitJob ?? 0,
      ms,
      note: `calls: ${JSON.stringify(batch.calls)}`,
    });
  }

  // 4. today's loop: one `aws batch submit-job` per partition
  {
    const partitions = planBySize(ROWS, SIZE).partitions;
    const cliEnv = { ...process.env, ...moto.env };
    const t0 = performance.now();
    for (const p of partitions) {
      const r = await runProcess(
        "aws",
        [
          "batch",
          "submit-job",
          "--endpoint-url",
          moto.endpoint,
          "--region",
          moto.region,
          "--job-name",
          `loop-p${p.partition}`,
          "--job-queue",
          env.queue,
          "--job-definition",
          env.jobDefinition,
          "--parameters",
          `csv=${csv},start=${p.start},end=${p.end},partitionSize=${SIZE},rowCount=${ROWS},runId=loop`,
        ],
        { env: cliEnv },
      );
      if (r.code !== 0) throw new Error(`aws batch submit-job failed: ${r.stderr}`);
    }
    const ms = performance.now() - t0;
    results.push({
      name: `aws batch submit-job loop (AWS CLI v1, ${partitions.length} calls)`,
      apiCalls: partitions.length,
      submitJobCalls: partitions.length,
      ms,
      note: "one CLI process per partition, sequential",
    });
  }

  const loop = results[3]!.ms;
  console.log(`\n${ROWS} repositories, ${SIZE} per partition (${ROWS / SIZE} partitions), moto_server ${moto.endpoint}\n`);
  console.log("| submission | API calls | SubmitJob calls | wall time | vs CLI loop |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of results)
    console.log(`| ${r.name} | ${r.apiCalls} | ${r.submitJobCalls} | ${(r.ms / 1000).toFixed(2)} s | ${(loop / r.ms).toFixed(1)}x |`);
  console.log("");
  for (const r of results) console.log(`- ${r.name}: ${r.note}`);
  env.client.destroy();
  env.secrets.destroy();
} finally {
  await moto.stop();
  await rm(dir, { recursive: true, force: true });
}
