// `--help` opens no socket: no EC2 metadata probe at import (aws-embedded-metrics starts one when it loads), no AWS
// client made before it is used. See docs/benchmarks.md.
import { fileURLToPath } from "node:url";
import { runProcess } from "@mass-ingest/testkit/process";
import { SOCKET_RECORDER_ARGS, socketsOpened } from "@mass-ingest/testkit/sockets";
import { expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env, AWS_JOB_ID: undefined, AWS_BATCH_JOB_ID: undefined, AWS_EC2_METADATA_DISABLED: undefined };

it("the recorder sees a connection (so the test below can fail)", async () => {
  const script = `require("node:http").get("http://127.0.0.1:9/").on("error", () => {})`;
  const r = await runProcess(process.execPath, [...SOCKET_RECORDER_ARGS, "-e", script], { cwd: appDir, env });
  expect(socketsOpened(r.stderr)).toEqual(["127.0.0.1:9"]);
});

it.each([["--help"], ["doctor", "--help"]])("mass-ingest %s opens no socket", async (...args) => {
  const r = await runProcess(process.execPath, [...SOCKET_RECORDER_ARGS, "--import", "tsx", "src/main.ts", ...args], { cwd: appDir, env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("Usage:");
  expect(socketsOpened(r.stderr)).toEqual([]);
});
