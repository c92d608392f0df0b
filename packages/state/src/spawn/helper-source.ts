/**
 * Source of the git spawn helper: a tiny node process (`node -e`, so it works from a bundle too) that reads one
 * JSON request a line on stdin, runs `git` in its own process group, and answers one JSON line on stdout. It
 * starts with a small heap, so each fork is cheap however large the chunker's heap has grown. When its stdin
 * ends (the parent closed it or died) it kills every group still running and exits.
 */
export const GIT_HELPER_SOURCE = String.raw`
"use strict";
const { spawn } = require("node:child_process");
const readline = require("node:readline");
const running = new Set();
let gitEnv = process.env;
const killGroup = (pid) => { try { if (pid) process.kill(-pid, "SIGKILL"); } catch {} };
const reply = (msg) => process.stdout.write(JSON.stringify(msg) + "\n");
function run(req) {
  let child;
  try {
    child = spawn("git", req.args, { env: gitEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  } catch (error) {
    return reply({ id: req.id, error: String(error && error.message) });
  }
  running.add(child);
  const out = [], err = [];
  let size = 0, timedOut = false, overflow = false, done = false, spawnError;
  const timer = setTimeout(() => { timedOut = true; killGroup(child.pid); }, req.timeoutMs);
  const collect = (chunks) => (c) => {
    size += c.length;
    if (size > req.maxBuffer) { overflow = true; killGroup(child.pid); } else chunks.push(c);
  };
  const finish = (code) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    running.delete(child);
    if (spawnError !== undefined && child.pid === undefined) return reply({ id: req.id, error: spawnError });
    reply({ id: req.id, code: code === null ? -1 : code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), timedOut, overflow });
  };
  child.stdout.on("data", collect(out));
  child.stderr.on("data", collect(err));
  child.on("error", (e) => { spawnError = String(e && e.message); if (child.pid === undefined) finish(-1); });
  child.on("close", finish);
}
const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.env) gitEnv = msg.env;
  else run(msg);
});
lines.on("close", () => {
  for (const child of running) killGroup(child.pid);
  process.exit(0);
});
`;
