// Issue 20 (item "the csv is parsed twice in submit"): with a state store, `submit` reads repos.csv once: the
// validation, the plan, the checksum and the selection all come from one pass. The csv is served over HTTP by a
// loopback server that counts its GETs.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunker } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;
let server: Server;
let gets = 0;
let csvUrl: string;

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of ["team/a", "team/b", "team/c"]) await git.createRepo(n);
  dir = await mkdtemp(join(tmpdir(), "chunker-csv-once-"));
  const body =
    ["cloneUrl,branch", ...["team/a", "team/b", "team/c"].map((n) => `${git.httpUrl(n)},main`), "ext::sh -c x,main"].join("\n") + "\n";
  server = createServer((req, res) => {
    if (req.method === "GET") gets++;
    res.writeHead(200, { "content-type": "text/csv" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  csvUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repos.csv`;
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("submit reads repos.csv once", () => {
  it("with a state store: one GET of the csv for the plan, the checksum and the selection", async () => {
    gets = 0;
    const r = await chunker(["submit", csvUrl, "--dry-run", "--state", join(dir, "state"), "--run-id", "once"], {
      ...mod.env,
      MOD_CLI: mod.command,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { counts: { neverBuilt: number } };
    // the three valid rows were selected from the same pass that found the invalid fourth
    expect(out.counts.neverBuilt).toBe(3);
    expect(r.stderr).toContain("1 invalid");
    expect(gets).toBe(1);
  });
});
