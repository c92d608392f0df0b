/**
 * What a night leaves behind and how it is seen: the state store (bucket), the run report (job, rule, roles), the
 * alerts, the dashboard and the alarms.
 */
import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { Alarms } from "../constructs/alarms.js";
import { Alerts } from "../constructs/alerts.js";
import { Dashboard } from "../constructs/dashboard.js";
import type { JobRoles } from "../constructs/iam.js";
import { reportSecrets } from "../constructs/job-definitions.js";
import { RunReportJob } from "../constructs/run-report.js";
import { StateBucket } from "../constructs/state-bucket.js";
import { reportLinks } from "../events.js";
import { stateKey, stateLocation, type StateLocation } from "../state-location.js";
import { reportRoles } from "./job-roles.js";

/** The state store: the bucket this stack creates, or the one `stateUrl` names; undefined when there is none. */
export function addStateStore(scope: Construct, context: DeploymentContext): { location?: StateLocation; bucket?: StateBucket } {
  const location = stateLocation(context.config, context.accountId);
  if (location === undefined || !location.created) return location === undefined ? {} : { location };
  const { state } = context.config;
  const bucket = new StateBucket(scope, "state-bucket", {
    bucketName: location.bucket,
    prefix: location.prefix,
    retentionDays: state.retentionDays,
    noncurrentDays: state.noncurrentDays,
    ...(location.kmsKeyArn === undefined ? {} : { kmsKeyArn: location.kmsKeyArn }),
  });
  return { location, bucket };
}

export interface RunParts {
  readonly image: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly imageRepositoryArn?: string;
  readonly queueArn: string;
  readonly queueName: string;
  readonly processorJobDefinitionArnPrefix: string;
  readonly chunkJobDefinitionArnPrefix: string;
  readonly state?: StateLocation;
}

/** The report job and its rule (when there is a state store and `report.enabled`). */
export function addRunReport(
  scope: Construct,
  context: DeploymentContext,
  parts: RunParts,
): { report: RunReportJob; roles: JobRoles } | undefined {
  const { config, names } = context;
  if (parts.state === undefined || !config.report.enabled) return undefined;
  const roles = reportRoles(scope, context, {
    logGroupArn: parts.logGroupArn,
    state: parts.state,
    ...(parts.imageRepositoryArn === undefined ? {} : { imageRepositoryArn: parts.imageRepositoryArn }),
  });
  const report = new RunReportJob(scope, "run-report", {
    jobDefinitionName: names.reportJobDefinition,
    jobName: names.reportJobName,
    ruleName: names.runFinishedRule,
    roleName: names.runFinishedRole,
    image: parts.image,
    size: config.report,
    roles: { executionRoleArn: roles.execution.arn, jobRoleArn: roles.job.arn },
    region: config.region,
    stateUrl: parts.state.url,
    secrets: reportSecrets(config),
    logGroupName: parts.logGroupName,
    computeType: config.compute.type,
    assignPublicIp: config.compute.assignPublicIp,
    queueArn: parts.queueArn,
    processorJobName: names.processorJobName,
    processorJobDefinitionArnPrefix: parts.processorJobDefinitionArnPrefix,
    accountId: context.accountId,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
  });
  return { report, roles };
}

/** Alerts (one per run), the dashboard and the alarms, as configured. */
export function addObservability(
  scope: Construct,
  context: DeploymentContext,
  parts: RunParts,
  report: RunReportJob | undefined,
): { alerts?: Alerts; dashboard?: Dashboard; alarms?: Alarms } {
  const { config, names, partition, region, accountId } = context;
  const out: { alerts?: Alerts; dashboard?: Dashboard; alarms?: Alarms } = {};
  const { alarms } = config;
  const anyAlarm = alarms.failedRepos || alarms.timedOutRepos || alarms.noRunHours !== undefined;
  if (config.alerts.enabled) {
    const state = parts.state;
    const links =
      report === undefined || state === undefined
        ? undefined
        : reportLinks({ region, bucket: state.bucket, key: (sub) => stateKey(state, sub), runId: "<runId>" });
    out.alerts = new Alerts(scope, "alerts", {
      topicName: names.alertsTopic,
      ruleName: names.alertsRule,
      jobRuleName: names.jobAlertsRule,
      deployment: config.name,
      region,
      queueArn: parts.queueArn,
      processorJobDefinitionArnPrefix: parts.processorJobDefinitionArnPrefix,
      otherJobDefinitionArnPrefixes: [parts.chunkJobDefinitionArnPrefix, ...(report === undefined ? [] : [report.jobDefinition.arnPrefix])],
      ...(links === undefined ? {} : { report: links }),
      ...(config.alerts.email === undefined ? {} : { email: config.alerts.email }),
      ...(config.alerts.kmsKeyArn === undefined ? {} : { kmsKeyArn: config.alerts.kmsKeyArn }),
      ...(anyAlarm ? { alarmArnPattern: `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${names.alarmPrefix}-*` } : {}),
    });
  }
  if (config.dashboard.enabled)
    out.dashboard = new Dashboard(scope, "dashboard", {
      name: names.dashboard,
      region,
      logGroupName: parts.logGroupName,
      queueName: parts.queueName,
      ...(report === undefined ? {} : { runFinishedRuleName: names.runFinishedRule }),
    });
  if (anyAlarm && out.alerts !== undefined)
    out.alarms = new Alarms(scope, "alarms", {
      prefix: names.alarmPrefix,
      topicArn: out.alerts.topic.arn,
      failedRepos: alarms.failedRepos,
      timedOutRepos: alarms.timedOutRepos,
      ...(alarms.noRunHours === undefined || report === undefined
        ? {}
        : { noRun: { hours: alarms.noRunHours, ruleName: names.runFinishedRule } }),
    });
  return out;
}
