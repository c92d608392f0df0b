/**
 * moto_server's request recorder, and the AWS calls a recording holds: each request turned into the IAM action(s)
 * AWS authorizes for it, with the resource ARN and the request context (tags included). A request this module does
 * not know fails the test, so a new call in an app cannot slip past the simulation.
 */
import { readFile, writeFile } from "node:fs/promises";

/** One IAM authorization AWS makes for a request. */
export interface AwsCall {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The request, for messages: `METHOD path`. */
  readonly request: string;
}

export interface Recorder {
  /** Clears the recording and starts recording. */
  start(): Promise<void>;
  /** Stops recording and returns what was recorded (raw JSON lines). */
  stop(): Promise<string>;
}

/**
 * The recorder of a moto_server at `endpoint`. moto writes the recording to `MOTO_RECORDER_FILEPATH` of its own
 * environment; set it (to a file in a temp folder) before `startMoto`, so nothing lands in the working directory.
 */
export function motoRecorder(endpoint: string, file: string): Recorder {
  const post = async (op: string) => {
    const res = await fetch(`${endpoint}/moto-api/recorder/${op}`, { method: "POST" });
    if (!res.ok) throw new Error(`moto recorder ${op}: ${res.status}`);
  };
  return {
    async start() {
      await writeFile(file, "");
      await post("reset-recording");
      await post("start-recording");
    },
    async stop() {
      await post("stop-recording");
      return readFile(file, "utf8");
    },
  };
}

interface Entry {
  headers: Record<string, string>;
  method: string;
  url: string;
  body?: string | null;
  body_encoded?: boolean;
}

export interface Where {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const header = (e: Entry, name: string): string | undefined =>
  Object.entries(e.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

const bodyOf = (e: Entry): string => (e.body_encoded ? Buffer.from(e.body ?? "", "base64").toString("utf8") : (e.body ?? ""));

const jsonBody = (e: Entry): Record<string, unknown> => {
  const text = bodyOf(e);
  return text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
};

/** The signing service of a request (`Credential=AK/date/region/service/aws4_request`). */
const serviceOf = (e: Entry): string | undefined => /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(header(e, "authorization") ?? "")?.[1];

/** Every AWS call in a recording, in order. */
export function callsFromRecording(recording: string, where: Where): AwsCall[] {
  return recording
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => callsOf(JSON.parse(line) as Entry, where));
}

function callsOf(e: Entry, where: Where): AwsCall[] {
  const url = new URL(e.url);
  const request = `${e.method} ${url.pathname}${url.search}`;
  const service = serviceOf(e);
  if (service === "batch") return batchCalls(e, url, where, request);
  if (service === "s3") return s3Calls(e, url, where, request);
  if (service === "secretsmanager") return secretsCalls(e, where, request);
  if (service === "ssm") return ssmCalls(e, where, request);
  if (service === "sts") return [];
  throw new Error(`the recording holds a request this test does not map to IAM actions: ${service ?? "unsigned"} ${request}`);
}

const BATCH_ACTIONS: Record<string, string> = {
  submitjob: "SubmitJob",
  describejobs: "DescribeJobs",
  listjobs: "ListJobs",
  describejobqueues: "DescribeJobQueues",
  describejobdefinitions: "DescribeJobDefinitions",
  terminatejob: "TerminateJob",
  canceljob: "CancelJob",
};

function batchCalls(e: Entry, url: URL, { partition, region, account }: Where, request: string): AwsCall[] {
  const op = url.pathname.replace(/^\/v1\//, "").toLowerCase();
  const action = BATCH_ACTIONS[op];
  if (action === undefined) throw new Error(`unmapped Batch request ${request}`);
  if (action !== "SubmitJob") return [{ action: `batch:${action}`, resource: "*", context: {}, request }];
  const body = jsonBody(e) as { jobQueue: string; jobDefinition: string; tags?: Record<string, string> };
  const arn = (kind: string, nameOrArn: string) =>
    nameOrArn.startsWith("arn:") ? nameOrArn : `arn:${partition}:batch:${region}:${account}:${kind}/${nameOrArn}`;
  const tags = body.tags ?? {};
  const context: Record<string, string | string[]> = Object.keys(tags).length === 0 ? {} : { "aws:TagKeys": Object.keys(tags) };
  for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  const calls: AwsCall[] = [
    { action: "batch:SubmitJob", resource: arn("job-queue", body.jobQueue), context, request },
    { action: "batch:SubmitJob", resource: arn("job-definition", body.jobDefinition), context, request },
  ];
  // Tag-on-create: a SubmitJob with tags is also authorized as TagResource on the new job.
  if (Object.keys(tags).length > 0)
    calls.push({
      action: "batch:TagResource",
      resource: `arn:${partition}:batch:${region}:${account}:job/00000000-0000-0000-0000-000000000000`,
      context,
      request,
    });
  return calls;
}

function s3Calls(e: Entry, url: URL, { partition }: Where, request: string): AwsCall[] {
  const host = url.hostname;
  const virtual = /^([a-z0-9.-]+)\.s3[.-]/.exec(host) ?? /^([a-z0-9-]+)\.(127\.0\.0\.1|localhost)$/.exec(host);
  const segments = url.pathname.replace(/^\//, "").split("/");
  const bucket = virtual?.[1] ?? segments.shift() ?? "";
  const key = decodeURIComponent((virtual === null ? segments : url.pathname.replace(/^\//, "").split("/")).join("/"));
  const q = url.searchParams;
  const object = `arn:${partition}:s3:::${bucket}/${key}`;
  const call = (action: string, resource: string, context: Record<string, string | string[]> = {}): AwsCall[] => [
    { action: `s3:${action}`, resource, context, request },
  ];
  if (key === "") {
    if ((e.method === "GET" && (q.has("list-type") || q.has("prefix"))) || e.method === "HEAD" || e.method === "GET")
      return call("ListBucket", `arn:${partition}:s3:::${bucket}`, q.has("prefix") ? { "s3:prefix": q.get("prefix") ?? "" } : {});
    throw new Error(`unmapped S3 bucket request ${request}`);
  }
  if (e.method === "GET" || e.method === "HEAD") return call("GetObject", object);
  if (e.method === "PUT" || e.method === "POST") return call("PutObject", object);
  if (e.method === "DELETE") return call(q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject", object);
  throw new Error(`unmapped S3 request ${request}`);
}

function secretsCalls(e: Entry, { partition, region, account }: Where, request: string): AwsCall[] {
  const target = header(e, "x-amz-target") ?? "";
  const action = target.replace(/^secretsmanager\./, "");
  const id = String(jsonBody(e).SecretId ?? "");
  const resource = id.startsWith("arn:") ? id : `arn:${partition}:secretsmanager:${region}:${account}:secret:${id}-AbCdEf`;
  return [{ action: `secretsmanager:${action}`, resource, context: {}, request: `${request} ${target}` }];
}

function ssmCalls(e: Entry, { partition, region, account }: Where, request: string): AwsCall[] {
  const target = header(e, "x-amz-target") ?? "";
  const action = target.replace(/^AmazonSSM\./, "");
  const body = jsonBody(e) as { Name?: string; Names?: string[] };
  const names = body.Names ?? (body.Name === undefined ? [] : [body.Name]);
  return names.map((name) => ({
    action: `ssm:${action}`,
    resource: name.startsWith("arn:") ? name : `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`,
    context: {},
    request: `${request} ${target}`,
  }));
}
