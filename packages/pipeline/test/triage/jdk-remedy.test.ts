/**
 * The toolchain remedy (issue 21), end to end over the loopback git server, nginx WebDAV and the strict stand-in:
 * a build that fails with "Unsupported class file major version 65" is built again in the same run with JDK 21
 * when the machine has it (and ends ok, with its remedy recorded); without JDK 21 it is not retried and its reason
 * says what it needs; a remedy from the state builds with JDK 21 from the start.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { classifyResult, ingest, type JdkRemedy, type IngestEvent } from "../../src/index.js";
import { kind, modRunner, rowsFor, tmp } from "../helpers.js";

let git: GitServer;
let nginx: Nginx;
let standIn: ModStandIn;
let dataRoot: string;
let jdkRoot: string;
const names = ["jdk/old", "jdk/new"];

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-jdk-");
  jdkRoot = path.join(dataRoot, "jvm");
  for (const name of names) await git.createRepo(name);
  // JAVA_HOME's major comes from its release file, as in the Temurin images
  await mkdir(path.join(jdkRoot, "temurin-17"), { recursive: true });
  await writeFile(path.join(jdkRoot, "temurin-17", "release"), 'JAVA_VERSION="17.0.12"\n');
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

/** The process environment without the machine's own JDKs, plus `jdks`. */
function envWith(jdks: Record<string, string>): Record<string, string | undefined> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("JAVA_HOME")));
  return { ...env, ...standIn.env, JAVA_HOME: path.join(jdkRoot, "temurin-17"), ...jdks };
}

async function run(dir: string, env: Record<string, string | undefined>, remedies?: ReadonlyMap<number, JdkRemedy>) {
  const events: IngestEvent[] = [];
  const result = await ingest(
    {
      ...modRunner(standIn.command, env),
      dataDir: path.join(dataRoot, dir),
      repos: await rowsFor(
        names.map((n) => git.httpUrl(n)),
        { header: "java", cells: () => "17" },
      ),
      publish: { url: `${nginx.url}/jdk`, user: nginx.user, password: nginx.password },
      ...(remedies ? { remedies } : {}),
    },
    (e) => events.push(e),
  );
  const builds = (await standIn.calls()).filter((c) => kind(c) === "build").length;
  const published = (await standIn.published()).map((p) => p.repo);
  return { result, events, builds, published, repo: result.report.repos.find((r) => r.path === "jdk/new")! };
}

describe("toolchain remedy: the JDK the error names", () => {
  it("a build needing JDK 21 is built again with it in the same run and ends ok, its remedy recorded", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, needsJdk: { "jdk/new": "21" } });
    const { result, events, builds, published, repo } = await run("retry", envWith({ JAVA_HOME_21_X64: "/usr/lib/jvm/temurin-21-jdk" }));
    expect(result.report.totals).toMatchObject({ repos: 2, ok: 2, failed: 0 });
    expect(builds).toBe(3);
    expect(published.sort()).toEqual(["jdk/new", "jdk/old"]);
    expect(repo).toMatchObject({ status: "ok", group: "row-2-jdk21", remedy: { jdk: "21", rowJava: "17" } });
    expect(result.report.repos.find((r) => r.path === "jdk/old")!.remedy).toBeUndefined();
    expect(events.filter((e) => e.type === "retry")).toEqual([
      expect.objectContaining({ step: "build", rows: [2], cause: "toolchain", jdk: "21", delayMs: 0 }),
    ]);
  });

  it("without JDK 21 it is not retried: the reason says what it needs and what the machine has; cause toolchain", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, needsJdk: { "jdk/new": "21" } });
    const { result, events, builds, repo } = await run("missing", envWith({ JAVA_HOME_8_X64: "/j8", JAVA_HOME_11_X64: "/j11" }));
    expect(result.report.totals).toMatchObject({ ok: 1, failed: 1 });
    expect(builds).toBe(2);
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
    expect(repo.reason?.split("\n")[0]).toBe("needs JDK 21; the image has 8, 11, 17");
    expect(repo.reason).toContain("Unsupported class file major version 65");
    expect(repo.remedy).toBeUndefined();
    expect(classifyResult(repo)?.cause).toBe("toolchain");
  });

  it("a remedy from the state builds with its JDK from the start; a row whose java changed since ignores it", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, needsJdk: { "jdk/new": "21" } });
    const env = envWith({ JAVA_HOME_21_X64: "/usr/lib/jvm/temurin-21-jdk" });
    const kept = await run("next-night", env, new Map([[2, { jdk: "21", rowJava: "17" }]]));
    expect(kept.result.report.totals).toMatchObject({ ok: 2, failed: 0 });
    expect(kept.builds).toBe(2);
    expect(kept.repo).toMatchObject({ status: "ok", group: "row-2", remedy: { jdk: "21", rowJava: "17" } });
    standIn.reset();
    const stale = await run("row-changed", env, new Map([[2, { jdk: "21", rowJava: "11" }]]));
    expect(stale.builds).toBe(3);
    expect(stale.repo).toMatchObject({ status: "ok", group: "row-2-jdk21", remedy: { jdk: "21", rowJava: "17" } });
  });

  it("a failed retry says so, keeps its remedy for the record, and is not retried again", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, needsJdk: { "jdk/new": "21" }, failBuild: ["jdk/new"] });
    const { result, builds, repo } = await run("retry-fails", envWith({ JAVA_HOME_21_X64: "/usr/lib/jvm/temurin-21-jdk" }));
    expect(result.report.totals).toMatchObject({ ok: 1, failed: 1 });
    expect(builds).toBe(3);
    expect(repo).toMatchObject({ status: "failed", failedStep: "build", remedy: { jdk: "21" } });
    expect(repo.reason).toMatch(/^retried with JDK 21: /);
  });
});
