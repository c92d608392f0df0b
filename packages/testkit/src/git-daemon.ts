import { spawn, type ChildProcess } from "node:child_process";
import { isolatedGitEnv } from "./git.js";
import { freePort, waitForPort } from "./ports.js";
import { killGroup } from "./process.js";

/** Start `git daemon` on a free loopback port serving `base` (retries on a port race). */
export async function startDaemon(base: string, onFetch: (name: string) => void): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      "git",
      [
        "daemon",
        "--reuseaddr",
        "--export-all",
        "--verbose",
        "--informative-errors",
        "--log-destination=stderr",
        `--base-path=${base}`,
        "--listen=127.0.0.1",
        `--port=${port}`,
      ],
      { env: isolatedGitEnv(), stdio: ["ignore", "ignore", "pipe"], detached: true },
    );
    let log = "";
    let pending = "";
    child.stderr!.on("data", (d: Buffer) => {
      const text = d.toString();
      log = (log + text).slice(-4000);
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /Request upload-pack for '\/?(.+?)'/.exec(line);
        if (m) onFetch(m[1]!);
      }
    });
    try {
      await Promise.race([
        waitForPort(port, "127.0.0.1", 15_000),
        new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`git daemon exited ${code}: ${log}`)))),
      ]);
      return { child, port };
    } catch (error) {
      lastError = error;
      await killGroup(child);
    }
  }
  throw new Error(`could not start git daemon: ${String(lastError)}`);
}
