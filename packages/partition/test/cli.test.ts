import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: pkg, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rows = (n: number): string =>
  ["cloneUrl,branch,org1", ...Array.from({ length: n }, (_, i) => `https://github.com/org/repo${i + 1}.git,main,Team`)].join("\n");

const good = tmp.file("good.csv", rows(7));
const bad = tmp.file(
  "bad.csv",
  [
    "cloneUrl,branch,changeset",
    "https://github.com/org/a.git,main,",
    'https://github.com/org/b.git,"feature/x',
    'y",',
    "ext::sh -c id,main,",
    "https://github.com/org/c.git,,abc",
    "https://github.com/org/a.git,main,",
  ].join("\n"),
);

describe("mass-ingest-partition CLI", () => {
  it("plan prints 1-based inclusive ranges and exits 0", () => {
    const r = cli("plan", good, "--size", "3");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 partition(s) of up to 3 rows for 7 rows");
    expect(r.stdout.trim().split("\n").slice(1)).toEqual(["1\t1-3", "2\t4-6", "3\t7-7"]);
  });

  it("plan --json prints the plan as JSON; --count balances sizes", () => {
    const r = cli("plan", good, "--count", "3", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { rowCount: number; partitions: unknown[]; ok: boolean };
    expect(json.ok).toBe(true);
    expect(json.rowCount).toBe(7);
    expect(json.partitions).toEqual([
      { partition: 1, start: 1, end: 3 },
      { partition: 2, start: 4, end: 5 },
      { partition: 3, start: 6, end: 7 },
    ]);
  });

  it("validate (lenient) reports each problem with line, column, value and advice, and exits 0", () => {
    const r = cli("validate", bad);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('line 3 (row 2), column "branch", value "feature/x\\ny"');
    expect(r.stderr).toContain(
      'line 5 (row 3), column "cloneUrl", value "ext::sh -c id": The clone URL uses the "ext::" remote-helper transport',
    );
    expect(r.stderr).toContain('line 6 (row 4), column "changeset", value "abc"');
    expect(r.stderr).toContain("line 7 (row 5)");
    expect(r.stderr).toContain("Same clone URL and branch as row 1");
    expect(r.stderr).toContain("5 rows, 1 valid, 3 invalid, 1 duplicate(s)");
    expect(r.stdout).toBe("VALID WITH PROBLEMS: 3 invalid row(s) and 1 duplicate row(s) will be left out\n");
  });

  it("validate says OK only when every row is valid and none repeats another", () => {
    const clean = cli("validate", good);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe("OK\n");
    const oneInvalid = tmp.file("one-invalid.csv", "cloneUrl,branch\next::sh -c x,main\nhttps://github.com/a/c.git,ok\n");
    const lenient = cli("validate", oneInvalid);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toBe("VALID WITH PROBLEMS: 1 invalid row(s) will be left out\n");
    expect(cli("validate", oneInvalid, "--strict").stdout).toBe("INVALID\n");
    // duplicates alone: usable, even with --strict, but not "OK"
    const dup = tmp.file("dup.csv", "cloneUrl,branch\nhttps://github.com/a/c.git,main\nhttps://github.com/a/c.git,main\n");
    for (const args of [[], ["--strict"]]) {
      const r = cli("validate", dup, ...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("VALID WITH PROBLEMS: 1 duplicate row(s) will be left out\n");
    }
    const allBad = cli("validate", tmp.file("all-bad.csv", "cloneUrl\next::sh -c x\n"));
    expect(allBad.code).toBe(0);
    expect(allBad.stdout).toBe("VALID WITH PROBLEMS: 1 invalid row(s) will be left out; no valid row remains\n");
    const json = (file: string, ...args: string[]) =>
      JSON.parse(cli("validate", file, "--json", ...args).stdout) as { ok: boolean; verdict: string };
    expect(json(good)).toMatchObject({ ok: true, verdict: "OK" });
    expect(json(oneInvalid)).toMatchObject({ ok: true, verdict: "VALID WITH PROBLEMS" });
    expect(json(oneInvalid, "--strict")).toMatchObject({ ok: false, verdict: "INVALID" });
  });

  it("validate --strict exits 2 on invalid rows, and 0 on a clean file", () => {
    const r = cli("validate", bad, "--strict", "--json");
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { ok: boolean; issues: Array<{ code: string; line: number }> };
    expect(json.ok).toBe(false);
    expect(json.issues.map((i) => [i.code, i.line])).toEqual([
      ["INVALID_BRANCH", 3],
      ["REMOTE_HELPER_TRANSPORT", 5],
      ["INVALID_CHANGESET", 6],
      ["CHANGESET_WITHOUT_BRANCH", 6],
    ]);
    expect(cli("validate", good, "--strict").code).toBe(0);
  });

  it("plan --strict plans nothing when a row is invalid", () => {
    const r = cli("plan", bad, "--strict");
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain("partition(s)");
  });

  it("file-level problems exit 2 with the code, the file and a hint", () => {
    const missing = cli("validate", `${tmp.dir}/nope.csv`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error [SOURCE_UNREADABLE]");
    expect(missing.stderr).toContain("hint:");
    const noHeader = cli("plan", tmp.file("noheader.csv", "url,branch\nhttps://github.com/a/b.git,main\n"));
    expect(noHeader.code).toBe(2);
    expect(noHeader.stderr).toContain("error [MISSING_CLONE_URL_HEADER]");
    const empty = cli("plan", tmp.file("empty.csv", ""));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error [EMPTY_FILE]");
  });

  it("bad arguments exit 2; --help exits 0 and explains the commands", () => {
    expect(cli("plan", good, "--size", "0").code).toBe(2);
    expect(cli("plan", good, "--size", "2", "--count", "2").code).toBe(2);
    expect(cli("frobnicate").code).toBe(2);
    const help = cli("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("plan [options] <csv>");
    expect(help.stdout).toContain("validate [options] <csv>");
    const planHelp = cli("plan", "--help");
    expect(planHelp.code).toBe(0);
    expect(planHelp.stdout).toContain("--size <n>");
    expect(planHelp.stdout).toContain("Exit codes");
  });

  it("a repository listed once per organization is OK, noted, and not counted as a duplicate", () => {
    const perOrg = tmp.file(
      "per-org.csv",
      "cloneUrl,branch,org1\nhttps://github.com/a/c.git,main,Alpha\nhttps://github.com/a/c.git,main,Beta\n",
    );
    const r = cli("validate", perOrg, "--strict");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("OK\n");
    expect(r.stderr).toContain("Repositories listed once per organization (built once, every organization kept):");
    expect(r.stderr).toContain("line 3 (row 2)");
    expect(r.stderr).toContain("0 duplicate(s)");
    expect(r.stderr).not.toMatch(/remove/i);
  });

  it("file:// clone URLs need --allow-file-urls", () => {
    const local = tmp.file("local.csv", "cloneUrl\nfile:///srv/git/org/repo.git\n");
    expect(cli("validate", local, "--strict").code).toBe(2);
    expect(cli("validate", local, "--strict", "--allow-file-urls").code).toBe(0);
  });
});
