import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { StateLockedError } from "../../src/errors.js";
import { openStateStore, type StateStore } from "../../src/store/state-store.js";
import { entry } from "../helpers.js";
import { storeContract } from "./contract.js";

const dirs: string[] = [];
let root = "";
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "state-local-"));
  dirs.push(root);
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("local store", () => {
  storeContract((options) => openStateStore(path.join(root, "state"), options), { conditional: true });

  test("the layout: state.json and runs/<runId>/…", async () => {
    const store = openStateStore(path.join(root, "state"));
    await store.updateState((s) => s);
    expect(JSON.parse(await readFile(path.join(root, "state", "state.json"), "utf8"))).toMatchObject({
      kind: "mass-ingest/state",
      version: 1,
    });
    expect(store.location("runs/r/manifest.json")).toBe(path.join(root, "state", "runs", "r", "manifest.json"));
  });

  test("two writers at once: the second is told who holds the lock, and nothing is lost", async () => {
    const dir = path.join(root, "state");
    const first: StateStore = openStateStore(dir);
    const second = openStateStore(dir, { lockWaitMs: 0 });
    let secondError: unknown;
    await first.updateState(async (s) => {
      secondError = await second.updateState((t) => ({ ...t, repos: { second: entry() } })).catch((e: unknown) => e);
      return { ...s, repos: { ...s.repos, first: entry() } };
    });
    expect(secondError).toBeInstanceOf(StateLockedError);
    const error = secondError as StateLockedError;
    expect(error.message).toMatch(new RegExp(`locked by pid ${process.pid} on host ${os.hostname()}`));
    expect(error.message).toContain("another mass-ingest chunker");
    expect(error.hint).toContain(path.join(dir, "state.lock"));
    expect(Object.keys((await first.readState()).repos)).toEqual(["first"]);
    await second.updateState((t) => ({ ...t, repos: { ...t.repos, second: entry() } }));
    expect(Object.keys((await first.readState()).repos).sort()).toEqual(["first", "second"]);
  });

  test("concurrent updates through the lock (waiting) all land", async () => {
    const dir = path.join(root, "state");
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        openStateStore(dir, { lockWaitMs: 30_000 }).updateState((s) => ({ ...s, repos: { ...s.repos, [`k${i}`]: entry() } })),
      ),
    );
    expect(Object.keys((await openStateStore(dir).readState()).repos).sort()).toEqual(["k0", "k1", "k2", "k3", "k4", "k5"]);
  });

  test("a stale lock (old, or its process gone) is taken over", async () => {
    const dir = path.join(root, "state");
    const store = openStateStore(dir, { lockWaitMs: 0, lockStaleMs: 60_000 });
    await store.updateState((s) => s);
    await writeFile(path.join(dir, "state.lock"), JSON.stringify({ pid: 1, host: "elsewhere", acquiredAt: "2020-01-01T00:00:00.000Z" }));
    await store.updateState((s) => ({ ...s, repos: { a: entry() } }));
    await writeFile(
      path.join(dir, "state.lock"),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), acquiredAt: new Date().toISOString() }),
    );
    await store.updateState((s) => ({ ...s, repos: { ...s.repos, b: entry() } }));
    await writeFile(path.join(dir, "state.lock"), JSON.stringify({ pid: 1, host: "elsewhere", acquiredAt: new Date().toISOString() }));
    await expect(store.updateState((s) => s)).rejects.toBeInstanceOf(StateLockedError);
    expect(Object.keys((await store.readState()).repos)).toEqual(["a", "b"]);
  });

  test("a foreign state file is refused, naming it and the way out", async () => {
    const dir = path.join(root, "state");
    const store = openStateStore(dir);
    await store.backend.write("state.json", JSON.stringify({ kind: "something/else", version: 1 }));
    await expect(store.readState()).rejects.toMatchObject({
      code: "STATE_FOREIGN",
      exitCode: 2,
      message: expect.stringContaining(path.join(dir, "state.json")),
      hint: expect.stringContaining("--full"),
    });
  });

  test("bad run ids never escape the store", async () => {
    const store = openStateStore(path.join(root, "state"));
    await expect(store.readManifest("../x")).rejects.toMatchObject({ code: "INVALID_RUN_ID" });
  });
});
