/**
 * What a night leaves behind on AWS and how it is seen: the state bucket, the run report (job definition, the
 * EventBridge rule that submits it for a run's array parent and never for a child), alerts once per run, the
 * dashboard and the alarms. Event patterns and input transformers are evaluated against sample Batch events.
 */
import { RUN_METRICS, substituteCommand } from "@mass-ingest/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { FULL } from "./fixtures.js";
import { ACCOUNT, Synth, minimalConfig } from "./helpers.js";
import type { Json } from "./helpers.js";
import { matchesPattern, transformInput } from "./events/eventbridge.js";
import type { Json as EventJson } from "./events/eventbridge.js";
import { childEvent, parentEvent, singleEvent, type SampleJob } from "./events/samples.js";
import { resolveReferences, type TerraformJson } from "./iam/policies.js";

const where = { partition: "aws", region: "us-east-1", account: ACCOUNT };
const IDENTITY = "${data.aws_caller_identity.identity.account_id}";

let base: Synth;
let full: Synth;
beforeAll(() => {
  base = new Synth(minimalConfig());
  full = new Synth({ ...(FULL as Record<string, unknown>), alarms: { failedRepos: true, timedOutRepos: true, noRunHours: 26 } });
});

/** A Terraform string with its references replaced by what AWS would assign. */
const resolved = (s: Synth, text: string) => resolveReferences(text, s.json as TerraformJson, where);
const rule = (s: Synth, name: string) =>
  JSON.parse(resolved(s, s.one("aws_cloudwatch_event_rule", name).event_pattern as string)) as Record<string, EventJson>;
const targetOf = (s: Synth, ruleName: string) => {
  const targets = s.all("aws_cloudwatch_event_target").filter((t) => t.rule === s.ref("aws_cloudwatch_event_rule", ruleName, "name"));
  expect(targets).toHaveLength(1);
  return targets[0] as Json;
};
const transformed = (s: Synth, target: Json, event: EventJson) => {
  const t = target.input_transformer as { input_paths: Record<string, string>; input_template: string };
  return transformInput({ input_paths: t.input_paths, input_template: resolved(s, t.input_template) }, event);
};

const job = (name: string, overrides: Partial<SampleJob> = {}): SampleJob => ({
  region: "us-east-1",
  account: ACCOUNT,
  queueArn: `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/${name}-queue`,
  jobDefinition: `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}-processor:3`,
  status: "FAILED",
  parameters: { runId: "night-1", csv: "s3://config-bucket/nightly/repos.csv" },
  ...overrides,
});

describe("the state bucket (created by default)", () => {
  it("versioned, SSE-S3, public access blocked, bucket owner enforced, TLS only, run records expire", () => {
    expect(base.one("aws_s3_bucket")).toMatchObject({ bucket: `mi-test-state-${IDENTITY}`, force_destroy: false });
    const bucket = base.refOne("aws_s3_bucket", "id");
    expect(base.one("aws_s3_bucket_versioning")).toMatchObject({ bucket, versioning_configuration: { status: "Enabled" } });
    expect(base.one("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(base.one("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(base.one("aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(JSON.parse(base.one("aws_s3_bucket_policy").policy as string).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [base.refOne("aws_s3_bucket", "arn"), `${base.refOne("aws_s3_bucket", "arn")}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(base.one("aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      { id: "expire-old-run-records", status: "Enabled", filter: [{ prefix: "mass-ingest/runs/" }], expiration: [{ days: 90 }] },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        expiration: [{ expired_object_delete_marker: true }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it("name, prefix, retention and a KMS key from the config", () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const s = new Synth(
      minimalConfig({ state: { bucketName: "acme-ingest-state", prefix: "nightly/state", retentionDays: 30, kmsKeyArn: key } }),
    );
    expect(s.one("aws_s3_bucket").bucket).toBe("acme-ingest-state");
    expect(s.one("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key }, bucket_key_enabled: true },
    ]);
    expect((s.one("aws_s3_bucket_lifecycle_configuration").rule as Json[])[0]).toMatchObject({
      filter: [{ prefix: "nightly/state/runs/" }],
      expiration: [{ days: 30 }],
    });
    expect(s.jobDefinition("mi-test-processor").container.environment).toContainEqual({
      name: "STATE_URL",
      value: "s3://acme-ingest-state/nightly/state",
    });
    expect(s.statement("mi-test-report-job", "UseStateStoreKey").Resource).toEqual([key]);
    // With accountId set, the default name needs no lookup.
    expect(new Synth(minimalConfig({ accountId: ACCOUNT })).one("aws_s3_bucket").bucket).toBe(`mi-test-state-${ACCOUNT}`);
  });
});

describe("the run report on AWS", () => {
  it("a report job definition: same image, `mass-ingest-chunker report <runId>`, STATE_URL, its own roles", () => {
    const def = base.jobDefinition("mi-test-report");
    expect(def.parameters).toEqual({ runId: "latest" });
    expect(def.container.command).toEqual(["mass-ingest-chunker", "report", "Ref::runId"]);
    expect(def.container.image).toBe(base.jobDefinition("mi-test-processor").container.image);
    // the run's jobs (JOB_QUEUE, JOB_NAME): each per-task result record is read only from a task that ran its partition
    expect(def.container.environment).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "JOB_NAME", value: "mi-test-processor" },
      {
        name: "JOB_QUEUE",
        value: (base.jobDefinition("mi-test-chunk").container.environment as { name: string; value: string }[]).find(
          (e) => e.name === "JOB_QUEUE",
        )?.value,
      },
      { name: "STATE_URL", value: `s3://mi-test-state-${IDENTITY}/mass-ingest` },
    ]);
    expect(def.container.jobRoleArn).toBe(base.ref("aws_iam_role", "mi-test-report-job", "arn"));
    expect(def.container.executionRoleArn).toBe(base.ref("aws_iam_role", "mi-test-report-exec", "arn"));
    expect(def.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "1" },
      { type: "MEMORY", value: "2048" },
    ]);
    expect(def.timeout).toEqual({ attempt_duration_seconds: 900 });
    expect(base.sids("mi-test-report-job")).toEqual(["ListStateStore", "LookUpRunTasks", "ReadStateStore", "WriteRunReport"]);
  });

  it("the run-finished rule matches a run's array parent at SUCCEEDED or FAILED, never a child or another job", () => {
    const pattern = rule(base, "mi-test-run-finished");
    const processor = job("mi-test");
    for (const status of ["SUCCEEDED", "FAILED"]) {
      expect(matchesPattern(pattern, parentEvent({ ...processor, status }, 500, { SUCCEEDED: 500 })), status).toBe(true);
      expect(matchesPattern(pattern, childEvent({ ...processor, status }, 7)), `child ${status}`).toBe(false);
    }
    expect(matchesPattern(pattern, parentEvent({ ...processor, status: "RUNNING" }, 500, {}))).toBe(false);
    // A child whose event also carried a size would still not match (index present).
    const child = childEvent(processor, 3) as { detail: { arrayProperties: Record<string, EventJson> } };
    child.detail.arrayProperties.size = 500;
    expect(matchesPattern(pattern, child as unknown as Record<string, EventJson>)).toBe(false);
    // The report job itself (no array), the chunk job, and another queue's runs never trigger a report.
    const def = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}:1`;
    expect(matchesPattern(pattern, singleEvent({ ...processor, status: "SUCCEEDED", jobDefinition: def("mi-test-report") }))).toBe(false);
    expect(matchesPattern(pattern, singleEvent({ ...processor, jobDefinition: def("mi-test-chunk") }))).toBe(false);
    expect(
      matchesPattern(pattern, parentEvent({ ...processor, queueArn: `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/other` }, 5, {})),
    ).toBe(false);
    expect(matchesPattern(pattern, parentEvent({ ...processor, jobDefinition: def("mi-test-processor-old") }, 5, {}))).toBe(false);
  });

  it("its target submits the report job to the queue with the run id as the runId parameter", () => {
    const target = targetOf(base, "mi-test-run-finished");
    expect(target.arn).toBe(base.refOne("aws_batch_job_queue", "arn"));
    expect(target.role_arn).toBe(base.ref("aws_iam_role", "mi-test-run-finished", "arn"));
    expect(target.batch_target).toEqual({
      job_definition: base.ref("aws_batch_job_definition", "mi-test-report", "arn"),
      job_name: "mi-test-report",
    });
    const input = JSON.parse(transformed(base, target, parentEvent(job("mi-test", { status: "SUCCEEDED" }), 4, { SUCCEEDED: 4 }))) as {
      Parameters: Record<string, string>;
    };
    expect(input).toEqual({ Parameters: { runId: "night-1" } });
    const def = base.jobDefinition("mi-test-report");
    expect(substituteCommand(def.container.command as string[], input.Parameters, def.parameters as Record<string, string>)).toEqual([
      "mass-ingest-chunker",
      "report",
      "night-1",
    ]);
    expect(base.sids("mi-test-run-finished")).toEqual(["SubmitReportJob"]);
  });

  it("no report job without a state store, or with report.enabled false", () => {
    for (const config of [minimalConfig({ state: { create: false } }), minimalConfig({ report: { enabled: false } })]) {
      const s = new Synth(config);
      expect(s.all("aws_batch_job_definition").map((d) => d.name)).not.toContain("mi-test-report");
      expect(s.all("aws_cloudwatch_event_rule")).toEqual([]);
    }
  });
});

describe("alerts once per run", () => {
  it("a night with 300 failed partitions sends one message, with the counts and the report's link", () => {
    const pattern = rule(full, "mi-full-run-failed");
    const processor = job("mi-full");
    const events = [
      ...Array.from({ length: 300 }, (_, i) => childEvent(processor, i)),
      parentEvent(processor, 500, { FAILED: 300, SUCCEEDED: 200 }),
    ];
    const matched = events.filter((e) => matchesPattern(pattern, e));
    expect(matched).toHaveLength(1);
    expect(matchesPattern(pattern, parentEvent({ ...processor, status: "SUCCEEDED" }, 500, { SUCCEEDED: 500 }))).toBe(false);
    const message = JSON.parse(
      transformed(full, targetOf(full, "mi-full-run-failed"), {
        ...matched[0]!,
        detail: { ...(matched[0]!.detail as object), statusReason: "Array Child Job failed" },
      }),
    ) as string;
    const key = "mass-ingest/runs/night-1/report.html";
    expect(message.split("\n")).toEqual([
      "mass-ingest mi-full: run night-1 FAILED",
      "partitions: 500, succeeded: 200, failed: 300",
      "reason: Array Child Job failed",
      "array job: https://us-east-1.console.aws.amazon.com/batch/home?region=us-east-1#jobs/array-job/4c7599ae-0a82-49aa-ba5a-4727fcce14a8",
      `report: https://us-east-1.console.aws.amazon.com/s3/object/mi-full-state-${ACCOUNT}?region=us-east-1&prefix=${key}`,
      `        s3://mi-full-state-${ACCOUNT}/${key}`,
    ]);
  });

  it("a failed chunk or report job alerts too (no run, or no report); processor jobs only through their run", () => {
    const pattern = rule(full, "mi-full-job-failed");
    const def = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}:2`;
    const base = job("mi-full");
    expect(matchesPattern(pattern, singleEvent({ ...base, jobDefinition: def("mi-full-chunk"), jobName: "mi-full-chunk" }))).toBe(true);
    expect(matchesPattern(pattern, singleEvent({ ...base, jobDefinition: def("mi-full-report") }))).toBe(true);
    expect(matchesPattern(pattern, singleEvent({ ...base, jobDefinition: def("mi-full-chunk"), status: "SUCCEEDED" }))).toBe(false);
    expect(matchesPattern(pattern, childEvent(base, 1))).toBe(false);
    expect(matchesPattern(pattern, parentEvent(base, 5, { FAILED: 5 }))).toBe(false);
    const message = JSON.parse(
      transformed(
        full,
        targetOf(full, "mi-full-job-failed"),
        singleEvent({
          ...base,
          jobDefinition: def("mi-full-chunk"),
          jobName: "mi-full-chunk",
          statusReason: "Essential container in task exited",
        }),
      ),
    ) as string;
    expect(message.split("\n")[0]).toBe("mass-ingest mi-full: job mi-full-chunk FAILED");
    expect(message).toContain("reason: Essential container in task exited");
  });
});

describe("dashboard and alarms", () => {
  it("the metric names are the processor's EMF emitter's (namespace, outcomes, steps, dimension sets)", async () => {
    const emf = await import("../../../packages/pipeline/src/metrics/emf.js");
    expect(RUN_METRICS.namespace).toBe(emf.EMF_NAMESPACE);
    const { ok, failed, timed_out, unchanged, skipped, not_started } = emf.EMF_REPO_METRICS;
    expect(RUN_METRICS.repos).toEqual({ ok, failed, timedOut: timed_out, unchanged, skipped, notStarted: not_started });
    expect(RUN_METRICS.durations).toEqual(emf.EMF_STEP_METRICS);
  });

  it("the dashboard graphs the processor metrics by name and the job queue's log failures", () => {
    const dashboard = base.one("aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_name).toBe("mi-test");
    const body = dashboard.dashboard_body as string;
    for (const metric of [
      RUN_METRICS.repos.ok,
      RUN_METRICS.repos.failed,
      RUN_METRICS.repos.timedOut,
      RUN_METRICS.repos.unchanged,
      ...Object.values(RUN_METRICS.durations),
    ])
      expect(body, metric).toContain(`"${metric}"`);
    expect(body).toContain(`{${RUN_METRICS.namespace},${RUN_METRICS.dimensions.runId}} MetricName=\\"${RUN_METRICS.repos.failed}\\"`);
    expect(body).toContain(
      `{${RUN_METRICS.namespace},${RUN_METRICS.dimensions.partition},${RUN_METRICS.dimensions.runId}} MetricName=\\"${RUN_METRICS.durations.build}\\"`,
    );
    const widgets = (JSON.parse(body) as { widgets: { type: string; properties: Record<string, unknown> }[] }).widgets;
    expect(widgets.find((w) => w.type === "log")?.properties.query).toContain(
      `SOURCE '${base.refOne("aws_cloudwatch_log_group", "name")}'`,
    );
    expect(widgets.some((w) => JSON.stringify(w.properties.metrics ?? []).includes("mi-test-run-finished"))).toBe(true);
    expect(new Synth(minimalConfig({ dashboard: { enabled: false } })).all("aws_cloudwatch_dashboard")).toEqual([]);
  });

  it("alarms publish to the alerts topic: failed and timed-out repositories, no run finished in N hours", () => {
    const topic = full.refOne("aws_sns_topic", "arn");
    const alarms = Object.fromEntries(full.all("aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name as string, a]));
    expect(Object.keys(alarms).sort()).toEqual(["mi-full-failed-repos", "mi-full-no-run", "mi-full-timed-out-repos"]);
    expect(alarms["mi-full-failed-repos"]).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "notBreaching",
      alarm_actions: [topic],
      namespace: "MassIngest",
      metric_name: "ReposFailed",
      statistic: "Sum",
      period: 3600,
    });
    expect(alarms["mi-full-failed-repos"]?.dimensions).toBeUndefined();
    expect(alarms["mi-full-timed-out-repos"]).toMatchObject({ metric_name: "ReposTimedOut" });
    expect(alarms["mi-full-no-run"]).toMatchObject({
      namespace: "AWS/Events",
      metric_name: "TriggeredRules",
      dimensions: { RuleName: "mi-full-run-finished" },
      evaluation_periods: 26,
      datapoints_to_alarm: 26,
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
      alarm_actions: [topic],
    });
    const statements = JSON.parse(full.one("aws_sns_topic_policy").policy as string).Statement as { Sid: string; Condition: unknown }[];
    expect(statements.find((s) => s.Sid === "CloudWatchAlarmsPublish")?.Condition).toEqual({
      ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${IDENTITY}:alarm:mi-full-*` },
    });
    expect(base.all("aws_cloudwatch_metric_alarm")).toEqual([]);
  });
});
