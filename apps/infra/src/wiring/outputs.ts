import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Alerts } from "../constructs/alerts.js";
import type { Dashboard } from "../constructs/dashboard.js";
import type { RunReportJob } from "../constructs/run-report.js";
import type { JobDefinitions } from "../constructs/job-definitions.js";
import type { Logs } from "../constructs/logs.js";
import type { Queue } from "../constructs/queue.js";
import type { Schedule } from "../constructs/schedule.js";
import type { WorkerImage } from "./image.js";

/** What a deployment hands back: ARNs and names for manual runs, the push target and the alerts topic. */
export function addOutputs(
  scope: Construct,
  parts: {
    queue: Queue;
    jobs: JobDefinitions;
    logs: Logs;
    schedule: Schedule;
    image: WorkerImage;
    alerts?: Alerts;
    stateUrl?: string;
    report?: RunReportJob;
    dashboard?: Dashboard;
  },
): void {
  const output = (id: string, value: string, description: string) => new TerraformOutput(scope, id, { value, description });
  output("job_queue_arn", parts.queue.jobQueue.arn, "Batch job queue ARN");
  output("processor_job_definition_arn", parts.jobs.processor.arn, "processor job definition ARN");
  if (parts.jobs.largeProcessor)
    output("large_processor_job_definition_arn", parts.jobs.largeProcessor.arn, "larger processor job definition ARN (memory retries)");
  output("chunk_job_definition_arn", parts.jobs.chunk.arn, "chunk job definition ARN");
  output("log_group_name", parts.logs.logGroup.name, "CloudWatch log group of both jobs");
  output("schedule_arn", parts.schedule.schedule.arn, "EventBridge Scheduler schedule ARN");
  output("image_uri", parts.image.uri, "image URI the job definitions run");
  if (parts.image.repository !== undefined)
    output("image_repository_url", parts.image.repository.repository.repositoryUrl, "ECR repository URL: push the worker image here");
  if (parts.alerts !== undefined)
    output("alerts_topic_arn", parts.alerts.topic.arn, "SNS topic of failed runs, failed chunk/report jobs and alarms");
  if (parts.stateUrl !== undefined)
    output(
      "state_url",
      parts.stateUrl,
      "the run-state store (STATE_URL of the jobs); reports land in <state_url>/runs/<runId>/report.html",
    );
  if (parts.report !== undefined)
    output("report_job_definition_arn", parts.report.jobDefinition.arn, "report job definition ARN (mass-ingest-chunker report <runId>)");
  if (parts.dashboard !== undefined) output("dashboard_name", parts.dashboard.dashboard.dashboardName, "CloudWatch dashboard of the runs");
}
