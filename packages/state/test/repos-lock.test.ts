import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { entriesFromReposLock, findLockRow, importReposLock, type LockImportRow } from "../src/lock-import.js";
import { parseReposLock, readReposLock } from "../src/repos-lock.js";
import { rowFingerprint, rowKey } from "../src/rows.js";
import { select } from "../src/select.js";
import { openStateStore } from "../src/store/state-store.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const SHA1 = "1".repeat(40);
const SHA2 = "2".repeat(40);
const now = new Date("2026-12-03T03:00:00.000Z");

// Column order differs from the docs', an unknown column sits in the middle, headers are mixed-case, one value is quoted.
const LOCK = [
  "Origin,path,Branch,cloneUrl,someFutureColumn,changeset,publishUri,publishTimestamp,CliVersion,reproducible",
  `github.com,a/one,main,https://github.com/a/one.git,"x, y",${SHA1},https://store/a/one.jar,2026-12-01T02:00:00Z,4.9.2,true`,
  `github.com,a/two,main,https://github.com/a/two.git,,${SHA2},https://store/a/two.jar,2026-12-01T02:00:00Z,4.9.2,FALSE`,
  `github.com,a/three,main,https://github.com/a/three.git,,${SHA1},,,4.9.2,`,
  `mycompany.com/bitbucket,PRJ/four,develop,ssh://git@mycompany.com:7999/prj/four.git,,${SHA1},https://store/four.jar,,4.8.8,maybe`,
].join("\r\n");

describe("readReposLock: by header, tolerating extra columns", () => {
  test("known columns by name (any case, any order), the verdict as a boolean, the rest in extra", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "state-lock-"));
    dirs.push(dir);
    const file = path.join(dir, "repos-lock.csv");
    await writeFile(file, `\uFEFF${LOCK}\r\n`);
    const rows = await readReposLock(file);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      row: 1,
      origin: "github.com",
      path: "a/one",
      branch: "main",
      cloneUrl: "https://github.com/a/one.git",
      changeset: SHA1,
      publishUri: "https://store/a/one.jar",
      publishedAt: "2026-12-01T02:00:00Z",
      cliVersion: "4.9.2",
      reproducible: true,
      extra: { someFutureColumn: "x, y" },
    });
    expect(rows.map((r) => r.reproducible)).toEqual([true, false, undefined, undefined]);
    expect(rows[2]).not.toHaveProperty("publishUri");
  });

  test("a file without cloneUrl or origin+path, or a missing file, is a LOCK_UNREADABLE error", async () => {
    expect(() => parseReposLock("name,changeset\nx,abc\n")).toThrow(expect.objectContaining({ code: "LOCK_UNREADABLE" }));
    await expect(readReposLock("/no/such/repos-lock.csv")).rejects.toMatchObject({ code: "LOCK_UNREADABLE" });
    expect(parseReposLock("origin,path\ngithub.com,a/b\n")[0]).toMatchObject({ origin: "github.com", path: "a/b" });
  });
});

describe("importing an existing repos-lock.csv seeds the state", () => {
  const csvRows: LockImportRow[] = [
    { row: 1, cloneUrl: "https://github.com/a/one", branch: "main" }, // URL normalized: no .git
    { row: 2, cloneUrl: "https://github.com/a/two.git" }, // no branch in repos.csv: any branch of the lock
    { row: 3, cloneUrl: "https://github.com/a/three.git", branch: "main" }, // not published: not seeded
    { row: 4, cloneUrl: "https://mycompany.com/bitbucket/scm/PRJ/four.git", origin: "mycompany.com/bitbucket", path: "PRJ/four" },
    { row: 5, cloneUrl: "https://github.com/a/one.git", branch: "release" }, // other branch: not seeded
  ];

  test("entriesFromReposLock: published rows become ok entries with the lock's commit and verdict", () => {
    const imported = entriesFromReposLock(csvRows, parseReposLock(LOCK), { cliVersion: "Moderne CLI 4.9.2", now });
    expect(imported.entries.map((e) => [e.row, e.key, e.commit, e.outcome, e.reproducible])).toEqual([
      [1, rowKey(csvRows[0]!), SHA1, "ok", true],
      [2, rowKey(csvRows[1]!), SHA2, "ok", false],
      [4, rowKey(csvRows[3]!), SHA1, "ok", undefined],
    ]);
    expect(imported.notSeeded).toEqual([3, 5]);
    // row 4 was built by 4.8.8: its fingerprint is 4.8.8's, so the 4.9.2 night rebuilds it
    expect(imported.otherCliVersion).toEqual([4]);
    expect(imported.entries[0]?.fingerprint).toBe(rowFingerprint(csvRows[0]!, "Moderne CLI 4.9.2"));
    expect(imported.entries[2]?.fingerprint).toBe(rowFingerprint(csvRows[3]!, "4.8.8"));
    expect(imported.entries[0]?.finishedAt).toBe("2026-12-01T02:00:00.000Z");
    expect(imported.entries[2]?.finishedAt).toBe(now.toISOString());
  });

  test("findLockRow: the verdict of one repository's build, by clone URL or origin + path, branch matched", () => {
    const lock = parseReposLock(LOCK);
    expect(findLockRow(lock, csvRows[1]!)?.reproducible).toBe(false);
    expect(findLockRow(lock, csvRows[3]!)?.path).toBe("PRJ/four");
    expect(findLockRow(lock, csvRows[4]!)).toBeUndefined();
    expect(findLockRow(lock, { row: 9, cloneUrl: "https://elsewhere.example.com/x/y.git" })).toBeUndefined();
  });

  test("importReposLock: the next selection skips what the lock built at the remote's commit", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "state-lock-import-"));
    dirs.push(dir);
    const store = openStateStore(path.join(dir, "state"));
    const cliVersion = "Moderne CLI 4.9.2";
    await importReposLock(store, csvRows, parseReposLock(LOCK), { cliVersion, now });
    const st = await store.readState();
    expect(Object.keys(st.repos).sort()).toEqual([rowKey(csvRows[0]!), rowKey(csvRows[1]!), rowKey(csvRows[3]!)].sort());
    const selectRows = csvRows.map((r) => ({ row: r.row, key: rowKey(r), fingerprint: rowFingerprint(r, cliVersion) }));
    const remote = new Map(selectRows.map((r) => [r.key, { ok: true as const, commit: r.row === 2 ? SHA2 : SHA1 }]));
    const s = select(selectRows, st, remote, { now: new Date("2026-12-03T04:00:00.000Z") });
    expect(s.unchanged.map((u) => u.row)).toEqual([1]);
    expect(s.build.map((b) => [b.row, b.reason])).toEqual([
      [2, "drift"], // not reproducible, built two days ago
      [3, "never-built"],
      [4, "fingerprint-changed"],
      [5, "never-built"],
    ]);
    store.close();
  });
});
