// Issue 21, "Done when", end to end: a staged rollout of a fingerprint change (a new Moderne CLI version reported
// by the stand-in's `mod --version`), through the real chunker (`submit --executor local`) and processor, night
// after night against one state directory.
// - the canary only on the night of the change, then the rest spread over the following nights (new commits first);
// - a canary whose failure rate jumps stops the rollout and raises one alert: one `rollout-stopped` error line and
//   one SNS message (moto_server: a topic with an SQS subscription, read back).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNight } from "./nights.js";

let git: GitServer;
let moto: Moto;
let mod: ModStandIn;
let dir: string;
let csv: string;
// more than a canary (at least 20): 20 canaries and 6 to spread
const names = Array.from({ length: 26 }, (_, i) => `fleet/r${String(i + 1).padStart(2, "0")}`);
const all = names.map((_, i) => i + 1);

beforeAll(async () => {
  [git, moto] = await Promise.all([startGitServer({ daemon: false }), startMoto()]);
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n, { files: { "pom.xml": "<project/>\n" } });
  dir = await mkdtemp(join(tmpdir(), "chunker-rollout-e2e-"));
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
});
afterAll(async () => {
  await Promise.all([git?.stop(), moto?.stop()]);
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rolloutOf = async (dataDir: string) =>
  (JSON.parse(await readFile(join(dataDir, "state", "state.json"), "utf8")) as { rollout?: { status: string; canary: string[] } }).rollout;

/**
 * moto's AWS APIs over plain HTTP (the app has no SNS/SQS client of its own): SNS speaks the query protocol, SQS JSON.
 * moto_server picks the service from the credential scope of the Authorization header (it checks no signature).
 */
const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=${moto.credentials.accessKeyId}/20260101/${moto.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
async function sns(params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Version: "2010-03-31", ...params });
  const headers = { "content-type": "application/x-www-form-urlencoded", authorization: authorization("sns") };
  const res = await fetch(moto.endpoint, { method: "POST", headers, body });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return text;
}
async function sqs<T>(action: string, params: Record<string, unknown>): Promise<T> {
  const res = await fetch(moto.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}`, authorization: authorization("sqs") },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

/** An alerts topic with an SQS queue subscribed (raw delivery): the topic's ARN and a reader of what arrived since the last read. */
async function alertsInbox(): Promise<{ topicArn: string; receive: () => Promise<string[]> }> {
  const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(await sns({ Action: "CreateTopic", Name: "alerts" }))![1]!;
  const { QueueUrl } = await sqs<{ QueueUrl: string }>("CreateQueue", { QueueName: "inbox" });
  const attrs = await sqs<{ Attributes: { QueueArn: string } }>("GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
  await sns({
    Action: "Subscribe",
    TopicArn: topicArn,
    Protocol: "sqs",
    Endpoint: attrs.Attributes.QueueArn,
    "Attributes.entry.1.key": "RawMessageDelivery",
    "Attributes.entry.1.value": "true",
  });
  const receive = async () => {
    const got = await sqs<{ Messages?: { Body: string; ReceiptHandle: string }[] }>("ReceiveMessage", {
      QueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
    });
    // deleted once read (else SQS delivers it again after the visibility timeout)
    for (const m of got.Messages ?? []) await sqs("DeleteMessage", { QueueUrl, ReceiptHandle: m.ReceiptHandle });
    return (got.Messages ?? []).map((m) => m.Body);
  };
  return { topicArn, receive };
}

// the rollout alone: no stale cap and fill (the default, which rebuilds builds older than half the max age early;
// runNight passes a day after each night, so by night 6 night 1's builds qualify)
const rolloutNights = ["--rollout-nights", "3", "--max-stale", "off"];

describe("staged rollout of a CLI upgrade, through the chunker and the processor", () => {
  it("builds the canary only on the night of the upgrade, then spreads the rest over the next nights, new commits first", async () => {
    const dataDir = join(dir, "spread");
    mod.setConfig({ buildMs: 5 });
    const n1 = await runNight(mod, csv, dataDir, "s1", {}, rolloutNights);
    expect(n1.code, n1.stderr).toBe(0);
    expect(n1.built).toEqual(all);

    mod.setConfig({ buildMs: 5, version: "4.10.0" }); // a new CLI: every fingerprint changes
    const n2 = await runNight(mod, csv, dataDir, "s2", {}, rolloutNights);
    expect(n2.code, n2.stderr).toBe(0);
    expect(n2.built).toHaveLength(20);
    expect(n2.stderr).toContain("fingerprint rollout canary: 6 repositories wait for a later night (canary of 20)");
    expect((await rolloutOf(dataDir))?.status).toBe("canary");
    const rest = all.filter((row) => !n2.built.includes(row));

    // the canary did as well as the night before: spread the 6 over 3 nights, a repository with a new commit first
    const fresh = rest[rest.length - 1]!;
    await git.commit(names[fresh - 1]!, { "NEW.md": "new\n" });
    const spread: number[][] = [];
    for (const id of ["s3", "s4", "s5"]) {
      const night = await runNight(mod, csv, dataDir, id, {}, rolloutNights);
      expect(night.code, night.stderr).toBe(0);
      spread.push(night.built);
    }
    expect(spread.map((b) => b.length)).toEqual([2, 2, 2]);
    expect(spread[0]).toContain(fresh);
    expect(spread.flat().sort((a, b) => a - b)).toEqual(rest);

    const done = await runNight(mod, csv, dataDir, "s6", {}, rolloutNights);
    expect(done.code, done.stderr).toBe(0);
    expect(done.built).toEqual([]);
    expect(done.stderr).not.toContain("rollout-stopped");
  }, 900_000);

  it("a canary that fails far more than the night before stops the rollout and raises one alert", async () => {
    const dataDir = join(dir, "stop");
    const inbox = await alertsInbox();
    const env = { ...moto.env, ALERTS_TOPIC_ARN: inbox.topicArn };
    mod.setConfig({ buildMs: 5 });
    const n1 = await runNight(mod, csv, dataDir, "t1", env, rolloutNights);
    expect(n1.code, n1.stderr).toBe(0);

    // the new CLI breaks every build: the canary fails (100 % against 0 % the night before)
    mod.setConfig({ buildMs: 5, version: "4.10.0", failBuild: ["fleet/"] });
    const n2 = await runNight(mod, csv, dataDir, "t2", env, rolloutNights);
    expect(n2.code).toBe(1);
    expect(n2.built).toHaveLength(20);
    const canary = n2.built;
    const rest = all.filter((row) => !canary.includes(row));
    expect(await inbox.receive()).toEqual([]);

    // judged: stopped, one alert; the waiting repositories are not built, the failed canaries are (they failed)
    const fresh = rest[0]!;
    const n3 = await runNight(mod, csv, dataDir, "t3", env, rolloutNights);
    expect(n3.built).toEqual(canary);
    expect((await rolloutOf(dataDir))?.status).toBe("stopped");
    const stopped = n3.stderr.split("\n").filter((l) => l.includes('"event":"rollout-stopped"'));
    expect(stopped).toHaveLength(1);
    expect(JSON.parse(stopped[0]!)).toMatchObject({
      level: 50,
      msg: expect.stringMatching(/^rollout stopped: 20 of 20 canary repositories failed/),
    });
    expect(n3.stderr).toContain(`rollout alert sent to ${inbox.topicArn}`);
    const messages = await inbox.receive();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/20 of 20 canary repositories failed \(100 % against 0 % the night before\)\. By cause: \w+: 20/);

    // the next night: no second alert; a stopped rollout builds only what got a new commit
    mod.setConfig({ buildMs: 5, version: "4.10.0" });
    await git.commit(names[fresh - 1]!, { "NEW.md": "new\n" });
    const n4 = await runNight(mod, csv, dataDir, "t4", env, rolloutNights);
    expect(n4.code, n4.stderr).toBe(0);
    expect(n4.built).toEqual([...canary, fresh].sort((a, b) => a - b));
    expect(n4.stderr).not.toContain("rollout-stopped");
    expect(n4.stderr).not.toContain("rollout alert sent");
    expect(await inbox.receive()).toEqual([]);
  }, 900_000);
});
