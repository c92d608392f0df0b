import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { CHUNKER_ENV, PROCESSOR_PARAMETERS, REPORT_COMMAND } from "@mass-ingest/contract";
import { Construct } from "constructs";
import type { ComputeType } from "../config/schema.js";
import { reportJobInput, runPattern } from "../events.js";
import { submitReportPolicy } from "../policies.js";
import { Role } from "./iam.js";
import { containerProperties, retryConditions } from "./container-properties.js";
import { isFargate } from "./compute.js";

/** Statuses after which a run is over: its report is written. */
export const RUN_FINISHED_STATUSES = ["SUCCEEDED", "FAILED"] as const;

export interface RunReportProps {
  readonly jobDefinitionName: string;
  readonly jobName: string;
  readonly ruleName: string;
  readonly roleName: string;
  readonly image: string;
  readonly size: { readonly vcpus: number; readonly memoryMiB: number; readonly timeoutSeconds: number };
  readonly roles: { readonly executionRoleArn: string; readonly jobRoleArn: string };
  readonly region: string;
  readonly stateUrl: string;
  readonly secrets: readonly { name: string; valueFrom: string }[];
  readonly logGroupName: string;
  readonly computeType: ComputeType;
  readonly assignPublicIp: boolean;
  readonly queueArn: string;
  /** The processor jobs' name prefix: the report finds the run's jobs by it (per-task result records' check). */
  readonly processorJobName: string;
  readonly processorJobDefinitionArnPrefix: string;
  readonly accountId: string;
  readonly permissionsBoundaryArn?: string;
}

/**
 * The run report on AWS: when a run's array job (the parent, never a child) reaches SUCCEEDED or FAILED, an
 * EventBridge rule submits the report job (same image, `mass-ingest-chunker report <runId>`, the run id passed
 * as its `runId` parameter by an input transformer), which writes `runs/<runId>/report.html|json` into the state
 * store. The rule's role may submit exactly that job definition to exactly this queue.
 */
export class RunReportJob extends Construct {
  readonly jobDefinition: BatchJobDefinition;
  readonly rule: CloudwatchEventRule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RunReportProps) {
    super(scope, id);
    this.jobDefinition = new BatchJobDefinition(this, "job-definition", {
      name: props.jobDefinitionName,
      type: "container",
      platformCapabilities: [isFargate(props.computeType) ? "FARGATE" : "EC2"],
      propagateTags: true,
      parameters: { [PROCESSOR_PARAMETERS.runId]: "latest" },
      containerProperties: JSON.stringify(
        containerProperties({
          image: props.image,
          command: REPORT_COMMAND,
          vcpus: props.size.vcpus,
          memoryMiB: props.size.memoryMiB,
          jobRoleArn: props.roles.jobRoleArn,
          executionRoleArn: props.roles.executionRoleArn,
          environment: {
            [CHUNKER_ENV.awsRegion.name]: props.region,
            [CHUNKER_ENV.stateUrl.name]: props.stateUrl,
            // where the run's jobs are: each per-task result record is read only from a task that ran its partition
            [CHUNKER_ENV.jobQueue.name]: props.queueArn,
            [CHUNKER_ENV.jobName.name]: props.processorJobName,
          },
          secrets: props.secrets,
          logGroupName: props.logGroupName,
          region: props.region,
          streamPrefix: "report",
          computeType: props.computeType,
          assignPublicIp: props.assignPublicIp,
        }),
      ),
      retryStrategy: { attempts: 2, evaluateOnExit: retryConditions(props.computeType) },
      timeout: { attemptDurationSeconds: props.size.timeoutSeconds },
    });
    this.role = new Role(this, "role", {
      name: props.roleName,
      description: "mass-ingest: submit the report job when a run finishes",
      service: "events.amazonaws.com",
      sourceAccount: props.accountId,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });
    this.role.grant(
      "submit-report-job",
      submitReportPolicy({ queueArn: props.queueArn, reportJobDefinitionArnPrefix: this.jobDefinition.arnPrefix }),
    );
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: "mass-ingest: a run (processor array job) finished: write its report",
      eventPattern: JSON.stringify(
        runPattern({
          queueArn: props.queueArn,
          processorJobDefinitionArnPrefix: props.processorJobDefinitionArnPrefix,
          statuses: RUN_FINISHED_STATUSES,
        }),
      ),
    });
    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      targetId: "report-job",
      arn: props.queueArn,
      roleArn: this.role.arn,
      batchTarget: { jobDefinition: this.jobDefinition.arn, jobName: props.jobName },
      inputTransformer: reportJobInput(),
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
    });
  }
}
