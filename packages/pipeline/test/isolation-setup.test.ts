import { chmod, rm, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ingest, workDirName, type IngestEvent } from "../src/index.js";
import { chooseIsolation, lockDataDir, UNISOLATED_WARNING } from "../src/isolation/setup.js";
import { modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let standIn: ModStandIn;
let root: string;

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  root = await tmp("pipeline-isolation-setup-");
  await chmod(root, 0o711);
  await git.createRepo("acme/one");
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  await rm(root, { recursive: true, force: true });
});

describe("choosing isolation", () => {
  it("build users only as root with a uid base; otherwise the warning of what builds can reach", () => {
    const users = chooseIsolation({ uidBase: 62000, slots: 3, uid: 0 }).users!;
    expect([users.acquire().uid, users.acquire().uid, users.acquire().uid]).toEqual([62000, 62001, 62002]);
    expect(() => users.acquire()).toThrow(/all 3 build users are in use/);
    for (const options of [
      { slots: 1, uid: 0 },
      { uidBase: 62000, slots: 1, uid: 1000 },
      { slots: 1, uid: 1000 },
    ]) {
      expect(chooseIsolation(options)).toEqual({ warning: UNISOLATED_WARNING });
    }
    expect(UNISOLATED_WARNING).toMatch(/\/proc.*credential.*checkout/s);
  });

  it("a run asked to isolate without a uid base warns once and still builds every repository", async () => {
    standIn.reset();
    const events: IngestEvent[] = [];
    const result = await ingest(
      {
        repos: await rowsFor([git.httpUrl("acme/one")]),
        ...modRunner(standIn.command, { ...process.env, ...standIn.env }),
        dataDir: path.join(root, "warn"),
        isolation: {},
      },
      (event) => events.push(event),
    );
    expect(result.report.repos.map((r) => [r.status, r.reason])).toEqual([["ok", undefined]]);
    expect(events.filter((e) => e.type === "warning")).toEqual([{ type: "warning", message: UNISOLATED_WARNING }]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "as root with a uid base, ingest builds as the build user and everything else as the processor",
    async () => {
      standIn.reset();
      standIn.setConfig({ buildMs: 10, recordEnv: ["USER", "HOME", "MODERNE_TOKEN"] });
      // The stand-in keeps its records in its home: let the build user reach them (a real CLI keeps nothing there).
      const { chmod, writeFile } = await import("node:fs/promises");
      await chmod(standIn.home, 0o711);
      await writeFile(path.join(standIn.home, "calls.jsonl"), "", { mode: 0o666 });
      await chmod(path.join(standIn.home, "calls.jsonl"), 0o666);
      const dataDir = path.join(root, "isolated");
      const umask = process.umask();
      try {
        const result = await ingest({
          repos: await rowsFor([git.httpUrl("acme/one")]),
          ...modRunner(standIn.command, { ...process.env, ...standIn.env, MODERNE_TOKEN: "tenant-token-4242" }),
          dataDir,
          isolation: { uidBase: 61000, extraEnv: ["MOD_STANDIN_HOME"] },
        });
        expect(result.report.repos.map((r) => [r.status, r.reason])).toEqual([["ok", undefined]]);
      } finally {
        process.umask(umask);
      }
      const calls = await standIn.calls();
      const build = calls.find((c) => c.argv[0] === "build" && !c.argv.includes("--help"))!;
      expect(build.env.USER).toBe("build-0");
      expect(build.env.HOME).toContain(path.join(dataDir, ".build-homes", "build-0-"));
      expect(build.env.MODERNE_TOKEN).toBeUndefined();
      const sync = calls.find((c) => c.argv[0] === "git")!;
      expect(sync.env.MODERNE_TOKEN).toBe("tenant-token-4242");
      const checkout = path.join(dataDir, "work", workDirName(await rowsFor([git.httpUrl("acme/one")])));
      expect((await stat(checkout)).uid).toBe(0);
      expect((await stat(path.join(dataDir, ".build-homes"))).isDirectory()).toBe(true);
      const { readdir } = await import("node:fs/promises");
      expect(await readdir(path.join(dataDir, ".build-homes"))).toEqual([]);
    },
  );

  it("locks the data directory: DATA_DIR and work/ passable only, the rest private", async () => {
    const dir = await tmp("pipeline-isolation-lock-");
    const { mkdir } = await import("node:fs/promises");
    for (const sub of ["state", "logs", ".auth"]) await mkdir(path.join(dir, sub), { mode: 0o755 });
    const umask = process.umask();
    try {
      await lockDataDir(dir);
      const mode = async (p: string) => (await stat(path.join(dir, p))).mode & 0o777;
      expect([await mode("."), await mode("work"), await mode("state"), await mode("logs"), await mode(".auth")]).toEqual([
        0o711, 0o711, 0o700, 0o700, 0o700,
      ]);
      expect(process.umask()).toBe(0o077);
    } finally {
      process.umask(umask);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
