import type { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { Schedule } from "../constructs/schedule.js";

/** The nightly schedule: submits the chunk job to the queue, as configured. */
export function addSchedule(
  scope: Construct,
  { config, names, accountId }: DeploymentContext,
  props: { queueArn: string; chunk: BatchJobDefinition },
): Schedule {
  return new Schedule(scope, "schedule", {
    name: names.schedule,
    roleName: names.schedulerRole,
    enabled: config.schedule.enabled,
    expression: config.schedule.expression,
    timezone: config.schedule.timezone,
    queueArn: props.queueArn,
    chunkJobDefinitionArn: props.chunk.arn,
    chunkJobDefinitionArnPrefix: props.chunk.arnPrefix,
    chunkJobName: names.chunkJobName,
    accountId,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
  });
}
