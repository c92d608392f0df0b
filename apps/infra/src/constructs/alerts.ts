import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";

export interface AlertsProps {
  readonly topicName: string;
  readonly ruleName: string;
  /** Only failures of jobs in this queue are reported. */
  readonly queueArn: string;
  /** Optional e-mail subscription (the address must confirm it). */
  readonly email?: string;
}

/** An SNS topic fed by an EventBridge rule on FAILED Batch jobs of this queue, with an optional e-mail subscription. */
export class Alerts extends Construct {
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // No KMS: EventBridge cannot publish to topics encrypted with the AWS managed SNS key.
    this.topic = new SnsTopic(this, "topic", { name: props.topicName });
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: "mass-ingest: a Batch job of this deployment failed",
      eventPattern: JSON.stringify({
        source: ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        detail: { status: ["FAILED"], jobQueue: [props.queueArn] },
      }),
    });
    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgePublishesJobFailures",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sns:Publish"],
            Resource: [this.topic.arn],
            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
          },
        ],
      }),
    });
    new CloudwatchEventTarget(this, "target", { rule: this.rule.name, arn: this.topic.arn, targetId: "sns" });
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", { topicArn: this.topic.arn, protocol: "email", endpoint: props.email });
    }
  }
}
