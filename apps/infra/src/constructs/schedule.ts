import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule/index.js";
import { Construct } from "constructs";
import { schedulerPolicy } from "../policies.js";
import { Role } from "./iam.js";

/** EventBridge Scheduler's universal target for Batch SubmitJob. */
export const SUBMIT_JOB_TARGET = "arn:aws:scheduler:::aws-sdk:batch:submitJob";

export interface ScheduleProps {
  readonly name: string;
  readonly roleName: string;
  readonly enabled: boolean;
  /** cron(...), rate(...) or at(...). */
  readonly expression: string;
  readonly timezone: string;
  readonly queueArn: string;
  readonly chunkJobDefinitionArn: string;
  /** The chunk job definition ARN without `:revision` (the role may submit any revision of it). */
  readonly chunkJobDefinitionArnPrefix: string;
  readonly chunkJobName: string;
  readonly accountId: string;
  readonly permissionsBoundaryArn?: string;
}

/**
 * The nightly trigger: an EventBridge Scheduler schedule that submits the chunk job through the Batch SubmitJob
 * universal target; its role may only submit that job definition to that queue. `enabled: false` keeps the
 * schedule but turns it off.
 */
export class Schedule extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    this.role = new Role(this, "role", {
      name: props.roleName,
      description: "mass-ingest schedule: submit the chunk job",
      service: "scheduler.amazonaws.com",
      sourceAccount: props.accountId,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });
    this.role.grant(
      "submit-chunk-job",
      schedulerPolicy({ queueArn: props.queueArn, chunkJobDefinitionArnPrefix: props.chunkJobDefinitionArnPrefix }),
    );
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: props.name,
      description: "mass-ingest: submit the chunk job that plans repos.csv and fans out the processors",
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timezone,
      state: props.enabled ? "ENABLED" : "DISABLED",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: SUBMIT_JOB_TARGET,
        roleArn: this.role.arn,
        input: JSON.stringify({
          JobName: props.chunkJobName,
          JobQueue: props.queueArn,
          JobDefinition: props.chunkJobDefinitionArn,
        }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
