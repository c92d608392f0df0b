import { spawn, type ChildProcess } from "node:child_process";
import { freePort, waitForPort } from "./ports.js";
import { killGroup } from "./process.js";

export interface Moto {
  /** e.g. http://127.0.0.1:5123 — pass as `endpoint` to every AWS SDK client. */
  endpoint: string;
  region: string;
  /** Static test credentials moto accepts. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Client options with credentials moto rejects when started with `iamAuth` (as AWS rejects unknown keys). */
  wrongCredentials(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Environment for child processes (AWS_ENDPOINT_URL and friends), so the real apps talk to moto. */
  env: Record<string, string>;
  /** Wipe every resource (POST /moto-api/reset) and re-apply the Batch no-docker config. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start a real `moto_server` on loopback for S3, Batch, Secrets Manager, Scheduler and friends.
 * Batch runs without Docker (jobs go RUNNABLE -> ... -> SUCCEEDED on their own).
 */
export async function startMoto(options: { region?: string; iamAuth?: boolean } = {}): Promise<Moto> {
  const region = options.region ?? "us-east-1";
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      // iamAuth: moto checks every request's access key (INITIAL_NO_AUTH_ACTION_COUNT=0), as AWS does.
      env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true", ...(options.iamAuth ? { INITIAL_NO_AUTH_ACTION_COUNT: "0" } : {}) },
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await Promise.race([
        waitForPort(port, "127.0.0.1", 30_000),
        new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`moto_server exited ${code}: ${stderr}`)))),
      ]);
    } catch (error) {
      lastError = error;
      child.kill("SIGKILL");
      continue;
    }
    const endpoint = `http://127.0.0.1:${port}`;
    const configure = async () => {
      const res = await fetch(`${endpoint}/moto-api/config`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ batch: { use_docker: false } }),
      });
      if (!res.ok) throw new Error(`moto config failed: ${res.status}`);
    };
    await configure();
    const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
    return {
      endpoint,
      region,
      credentials,
      wrongCredentials: () => ({
        endpoint,
        region,
        credentials: { accessKeyId: "AKIAWRONGWRONGWRONG0", secretAccessKey: "wrong-secret-key-value" },
      }),
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      async reset() {
        await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
        await configure();
      },
      stop: () => killGroup(child),
    };
  }
  throw new Error(`could not start moto_server (is it on PATH?): ${String(lastError)}`);
}
