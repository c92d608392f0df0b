import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { Construct } from "constructs";

export interface LogsProps {
  /** Log group name, e.g. /aws/batch/<name>. */
  readonly name: string;
  readonly retentionDays: number;
  /** Customer-managed KMS key of the log group; CloudWatch's own encryption when undefined. */
  readonly kmsKeyArn?: string;
}

/** The CloudWatch log group both job definitions write to (stream prefixes `processor` and `chunk`). */
export class Logs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.name,
      retentionInDays: props.retentionDays,
      ...(props.kmsKeyArn === undefined ? {} : { kmsKeyId: props.kmsKeyArn }),
    });
  }
}
