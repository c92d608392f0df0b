// The AWS SDK warns on Node 20 that it will need Node 22 ("NodeVersionSupportWarning"); the chunker turns off
// exactly that warning. vitest.shared.ts switches it off for the tests themselves, so the children here get an
// environment without the switch.
import { fileURLToPath } from "node:url";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const nodeMajor = Number(process.versions.node.split(".")[0]);
let moto: Moto;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  moto = await startMoto();
  env = {
    ...process.env,
    ...moto.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
    JOB_QUEUE: undefined,
    JOB_NAME: undefined,
  };
});
afterAll(async () => {
  await moto?.stop();
});

it.runIf(nodeMajor < 22)("the SDK does warn on this Node without the switch (so the next test can fail)", async () => {
  const script = `import("@aws-sdk/client-batch").then(({ BatchClient, ListJobsCommand }) =>
    new BatchClient({ maxAttempts: 1 }).send(new ListJobsCommand({ jobQueue: "q" })).catch(() => undefined))`;
  const r = await runProcess(process.execPath, ["-e", script], {
    cwd: fileURLToPath(new URL("../../../packages/batch/", import.meta.url)),
    env,
  });
  expect(r.stderr).toContain("NodeVersionSupportWarning");
});

it("a chunker run that calls AWS prints no NodeVersionSupportWarning on stderr", async () => {
  const r = await runProcess(process.execPath, ["--import", "tsx", "src/main.ts", "status", "no-such-run", "--job-queue", "q"], {
    cwd: appDir,
    env,
  });
  // moto answers ListJobs for an unknown queue with an error: the Batch client was made and called
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain("mass-ingest-chunker: Job queue q does not exist");
  expect(r.stderr).not.toContain("NodeVersionSupportWarning");
});
