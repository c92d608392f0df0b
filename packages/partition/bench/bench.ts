/**
 * Benchmark: generate a 1,000,000-row repos.csv, build the package (tsup), then run each task in a fresh plain
 * `node` child process on dist/index.js (so peak RSS is per task and excludes tsx):
 *   validate+plan  validateRepos (lenient) + planBySize(50) + planByCount(200)
 *   read           readRepos (all rows kept in memory)
 *   count          countRows
 *   select-last    selectRange of the last partition (reads the whole file, dedupes against it)
 * Reports wall time and peak RSS (process.resourceUsage().maxRSS) and writes docs/benchmarks/partition.md.
 *
 *   node --import tsx bench/bench.ts [--rows 1000000] [--no-write]
 */
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const TASKS = ["validate+plan", "count", "select-last", "read"] as const;
type Task = (typeof TASKS)[number];

interface TaskResult {
  task: Task;
  ms: number;
  maxRssMb: number;
  detail: string;
}

/** The child's code: plain Node on the built package (dist/index.js), as the apps run it in production. */
function childScript(task: Task, file: string, rows: number, dist: string): string {
  return `
import { countRows, planByCount, planBySize, readRepos, selectRange, validateRepos } from ${JSON.stringify(dist)};
const task = ${JSON.stringify(task)}, file = ${JSON.stringify(file)}, rows = ${rows};
const t0 = performance.now();
let detail = "";
if (task === "validate+plan") {
  const result = await validateRepos(file, { mode: "lenient" });
  const bySize = planBySize(result.rowCount, 50);
  const byCount = planByCount(result.rowCount, 200);
  detail = result.rowCount + " rows, " + result.issues.length + " issues, " + result.duplicates.length + " duplicates, " +
    bySize.partitions.length + " partitions of 50 (and " + byCount.partitions.length + " by count)";
} else if (task === "count") {
  detail = (await countRows(file)) + " rows counted";
} else if (task === "select-last") {
  const result = await selectRange(file, { start: rows - 49, end: rows }, { mode: "lenient" });
  detail = "rows " + (rows - 49) + "-" + rows + ": " + result.repos.length + " rows selected";
} else {
  const result = await readRepos(file, { mode: "lenient" });
  detail = result.repos.length + " rows kept in memory";
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ task, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail }));
`;
}

const HOSTS = ["https://github.com", "https://gitlab.com", "git@github.com:", "https://mycompany.com/bitbucket/scm", "ssh://git@scm.example.com:7999"];

export async function generate(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("cloneUrl,branch,origin,path,java,jvmopts,mavenArgs,gradleArgs,org1,org2\n");
  let buf = "";
  let prevUrl = "";
  let prevBranch = "";
  for (let i = 1; i <= rows; i++) {
    const host = HOSTS[i % HOSTS.length] as string;
    const org = `org${i % 997}`;
    const repo = `repo-${i}`;
    const url = host.endsWith(":") ? `${host}${org}/${repo}.git` : `${host}/${org}/${repo}.git`;
    const explicit = i % 2 === 0;
    const origin = explicit ? (host.includes("github") ? "github.com" : "") : "";
    const path = explicit && origin ? `${org}/${repo}` : "";
    const jvm = i % 10 === 0 ? '"-Xmx4g -Dfoo=a,b"' : i % 3 === 0 ? "-Xmx2g" : "";
    // 1% duplicates (same URL and branch as the row before), 0.1% invalid branches
    const dup = i % 100 === 0 && i > 1;
    const theUrl = dup ? prevUrl : url;
    const branch = i % 1000 === 500 ? "bad..branch" : dup ? prevBranch : i % 7 === 0 ? "release/1.x" : "main";
    buf += `${theUrl},${branch},${origin},${path},${i % 2 ? 17 : 21},${jvm},,,Team${i % 50},ALL\n`;
    prevUrl = theUrl;
    prevBranch = branch;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rowsArg = args.indexOf("--rows");
  const rows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
  const pkg = join(here, "..");
  execFileSync("npx", ["tsup"], { cwd: pkg, stdio: "ignore" });
  const dist = pathToFileURL(join(pkg, "dist", "index.js")).href;
  const dir = mkdtempSync(join(tmpdir(), "partition-bench-"));
  try {
    const file = join(dir, "repos.csv");
    const load = loadavg()[0] ?? 0;
    const g0 = performance.now();
    await generate(file, rows);
    const genMs = performance.now() - g0;
    const sizeMb = statSync(file).size / 1024 / 1024;
    console.log(`generated ${rows} rows (${sizeMb.toFixed(1)} MB) in ${(genMs / 1000).toFixed(1)} s`);
    const results: Array<TaskResult & { processMs: number }> = [];
    for (const task of TASKS) {
      const p0 = performance.now();
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", childScript(task, file, rows, dist)], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      });
      const processMs = performance.now() - p0;
      const r = JSON.parse(out) as TaskResult;
      results.push({ ...r, processMs });
      console.log(`${task.padEnd(14)} ${(r.ms / 1000).toFixed(2)} s (process ${(processMs / 1000).toFixed(2)} s), peak RSS ${r.maxRssMb.toFixed(0)} MB: ${r.detail}`);
    }
    if (!args.includes("--no-write")) {
      const docs = join(here, "..", "..", "..", "docs", "benchmarks", "partition.md");
      const cpu = cpus()[0]?.model ?? "unknown CPU";
      const lines = [
        "# @mass-ingest/partition benchmark",
        "",
        "Command (from `packages/partition`):",
        "",
        "```",
        "node --import tsx bench/bench.ts",
        "```",
        "",
        `Machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, Node ${process.version}. ` +
          `Input: generated repos.csv, ${rows.toLocaleString("en-US")} rows, ${sizeMb.toFixed(1)} MB (10 columns, mixed https/scp/ssh/Bitbucket URLs, ` +
          "half the rows without origin/path so they are derived, quoted fields with commas, 1% duplicate rows, 0.1% invalid branches). " +
          "The package is built with tsup first and each task runs in a fresh plain `node` child process on `dist/index.js`; " +
          "peak RSS is that process's `process.resourceUsage().maxRSS` (whole process, Node itself included; an empty Node process is about 40 MB).",
        "",
        "Target: parse + validate + plan under 5 s and under 300 MB.",
        "",
        "| task | what | time (task) | time (process incl. startup) | peak RSS |",
        "| --- | --- | ---: | ---: | ---: |",
        ...results.map(
          (r) => `| ${r.task} | ${r.detail} | ${(r.ms / 1000).toFixed(2)} s | ${(r.processMs / 1000).toFixed(2)} s | ${r.maxRssMb.toFixed(0)} MB |`,
        ),
        "",
        `Measured ${new Date().toISOString().slice(0, 16)}Z with a 1-minute load average of ${load.toFixed(1)} on ${cpus().length} cores ` +
          "(a load near the core count means other work shared the machine: the numbers are then pessimistic).",
        "",
        "Notes: `validate+plan` is what `mass-ingest-partition plan/validate` does and what a chunker should call (`validateRepos`: streaming, rows not kept; " +
          "the duplicate index is a compact byte buffer). `select-last` is what the processor of the last partition does: " +
          "it reads the file twice up to its range to drop rows that repeat earlier rows. `read` keeps all 1,000,000 " +
          "`RepoRow` objects in memory: use it for lists that fit, and `validateRepos`/`selectRange` for big files.",
        "",
      ];
      writeFileSync(docs, lines.join("\n"));
      console.log(`wrote ${docs}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
