import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";
import { jobFailedMessage, jobFailedPattern, runFailedMessage, runPattern } from "../events.js";

export interface AlertsProps {
  readonly topicName: string;
  /** Rule of failed runs (the processor array job's parent). */
  readonly ruleName: string;
  /** Rule of failed chunk and report jobs. */
  readonly jobRuleName: string;
  readonly deployment: string;
  readonly region: string;
  /** Only jobs of this queue are reported. */
  readonly queueArn: string;
  readonly processorJobDefinitionArnPrefix: string;
  /** The chunk job definition, and the report job definition when there is one. */
  readonly otherJobDefinitionArnPrefixes: readonly string[];
  /** The run report's links (`<runId>` placeholder inside), when the report job exists. */
  readonly report?: { s3: string; console: string };
  /** Optional e-mail subscription (the address must confirm it). */
  readonly email?: string;
  /** Customer-managed KMS key of the topic (its key policy must let EventBridge and CloudWatch use it). */
  readonly kmsKeyArn?: string;
  /** CloudWatch alarms whose ARNs match this pattern may publish (when alarms are configured). */
  readonly alarmArnPattern?: string;
}

/**
 * An SNS topic and two EventBridge rules: one message per failed run (the processor array job's parent reached
 * FAILED; its children never alert, so 300 failed partitions make one message with the counts and the report's
 * link), and one per failed chunk or report job. Optional e-mail subscription; alarms publish here too.
 */
export class Alerts extends Construct {
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;
  readonly jobRule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // Only a customer-managed key: EventBridge cannot publish to topics encrypted with the AWS managed SNS key.
    this.topic = new SnsTopic(this, "topic", {
      name: props.topicName,
      ...(props.kmsKeyArn === undefined ? {} : { kmsMasterKeyId: props.kmsKeyArn }),
    });
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: "mass-ingest: a run (processor array job) of this deployment failed",
      eventPattern: JSON.stringify(
        runPattern({
          queueArn: props.queueArn,
          processorJobDefinitionArnPrefix: props.processorJobDefinitionArnPrefix,
          statuses: ["FAILED"],
        }),
      ),
    });
    this.jobRule = new CloudwatchEventRule(this, "job-rule", {
      name: props.jobRuleName,
      description: "mass-ingest: the chunk or report job of this deployment failed",
      eventPattern: JSON.stringify(
        jobFailedPattern({ queueArn: props.queueArn, jobDefinitionArnPrefixes: props.otherJobDefinitionArnPrefixes }),
      ),
    });
    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: topicPolicy(this.topic.arn, [this.rule.arn, this.jobRule.arn], props.alarmArnPattern),
    });
    const where = { deployment: props.deployment, region: props.region };
    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      arn: this.topic.arn,
      targetId: "sns",
      inputTransformer: runFailedMessage({ ...where, ...(props.report === undefined ? {} : { report: props.report }) }),
    });
    new CloudwatchEventTarget(this, "job-target", {
      rule: this.jobRule.name,
      arn: this.topic.arn,
      targetId: "sns",
      inputTransformer: jobFailedMessage(where),
    });
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email });
    }
  }
}

/** `service` may publish to the topic when the condition holds. */
const publishFrom = (sid: string, service: string, topicArn: string, condition: Record<string, unknown>) => ({
  Sid: sid,
  Effect: "Allow",
  Principal: { Service: service },
  Action: ["sns:Publish"],
  Resource: [topicArn],
  Condition: condition,
});

/** EventBridge may publish for exactly these rules; CloudWatch may publish for this deployment's alarms. */
function topicPolicy(topicArn: string, ruleArns: string[], alarmArnPattern: string | undefined): string {
  const alarms =
    alarmArnPattern === undefined
      ? []
      : [publishFrom("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com", topicArn, { ArnLike: { "aws:SourceArn": alarmArnPattern } })];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      publishFrom("EventBridgePublishesFailures", "events.amazonaws.com", topicArn, { ArnEquals: { "aws:SourceArn": ruleArns } }),
      ...alarms,
    ],
  });
}
