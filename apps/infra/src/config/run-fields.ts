/**
 * Config fields of the run-state store, the run report, the dashboard and the alarms (issue 10 and 12): one
 * place for what a night leaves behind and how a platform team sees it.
 */
import { z } from "zod";
import { KMS_KEY_ARN, bool, int, text } from "./fields.js";

/** An S3 bucket name (3-63 characters). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A key prefix inside a bucket: no leading or trailing "/", no "//". */
export const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/** The state store: created by the stack (default) unless `stateUrl` names an existing one. */
export const stateSchema = z
  .strictObject({
    /** Create the bucket (default when no `stateUrl` is given); false and no `stateUrl`: no state store on AWS. */
    create: bool().optional(),
    /** Bucket name; default `<name>-state-<account id>`. */
    bucketName: text("an S3 bucket name (3-63 lowercase letters, digits, dots and dashes)", BUCKET_NAME).optional(),
    /** Key prefix of the state inside the bucket. */
    prefix: text("a key prefix such as mass-ingest (no leading or trailing /)", KEY_PREFIX).default("mass-ingest"),
    /** Run records (`runs/`) older than this many days expire; so do noncurrent object versions after `noncurrentDays`. */
    retentionDays: int("days to keep run records", 1, 3650).default(90),
    noncurrentDays: int("days to keep noncurrent versions", 1, 3650).default(30),
    /** Encrypt with this customer-managed KMS key (SSE-KMS) instead of SSE-S3; the job roles may use it through S3. */
    kmsKeyArn: text("a KMS key ARN", KMS_KEY_ARN).optional(),
  })
  .prefault({});

/** The run report job (needs a state store): submitted by EventBridge when a run's array job finishes. */
export const reportSchema = z
  .strictObject({
    enabled: bool().default(true),
    vcpus: int("vCPUs for the report job", 1, 16).default(1),
    memoryMiB: int("MiB for the report job", 512, 122_880).default(2048),
    timeoutSeconds: int("seconds before Batch stops the report job", 60, 86_400).default(900),
  })
  .prefault({});

/** The CloudWatch dashboard of a run (processor metrics and the job queue's logs). */
export const dashboardSchema = z.strictObject({ enabled: bool().default(true) }).prefault({});

/** CloudWatch alarms that publish to the alerts topic (`alerts.enabled`). */
export const alarmsSchema = z
  .strictObject({
    /** ReposFailed > 0 within an hour. */
    failedRepos: bool().default(false),
    /** ReposTimedOut > 0 within an hour. */
    timedOutRepos: bool().default(false),
    /** No run finished (no array job reached SUCCEEDED or FAILED) for this many hours; off when omitted. */
    noRunHours: int("hours without a finished run", 1, 168).optional(),
  })
  .prefault({});
