import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { RUN_METRICS } from "@mass-ingest/contract";
import { Construct } from "constructs";

export interface AlarmsProps {
  /** Alarm names start with `<prefix>-`. */
  readonly prefix: string;
  readonly topicArn: string;
  readonly failedRepos: boolean;
  readonly timedOutRepos: boolean;
  /** Alarm when the run-finished rule did not fire for this many hours. */
  readonly noRun?: { readonly hours: number; readonly ruleName: string };
}

const HOUR = 3600;

/**
 * Optional CloudWatch alarms on the runs, publishing to the alerts topic: repositories failed or timed out in the
 * last hour (the emitter's dimensionless totals), and no run finished for N hours.
 */
export class Alarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const actions = { alarmActions: [props.topicArn], okActions: [props.topicArn] };
    const onMetric = (key: string, metric: string, what: string) =>
      this.alarms.push(
        new CloudwatchMetricAlarm(this, key, {
          alarmName: `${props.prefix}-${key}`,
          alarmDescription: `mass-ingest: ${what} in the last hour (${RUN_METRICS.namespace} ${metric}, the total over every run)`,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          evaluationPeriods: 1,
          treatMissingData: "notBreaching",
          namespace: RUN_METRICS.namespace,
          metricName: metric,
          statistic: "Sum",
          period: HOUR,
          ...actions,
        }),
      );
    if (props.failedRepos) onMetric("failed-repos", RUN_METRICS.repos.failed, "repositories failed");
    if (props.timedOutRepos) onMetric("timed-out-repos", RUN_METRICS.repos.timedOut, "repositories timed out");
    if (props.noRun !== undefined)
      this.alarms.push(
        new CloudwatchMetricAlarm(this, "no-run", {
          alarmName: `${props.prefix}-no-run`,
          alarmDescription: `mass-ingest: no run finished in ${props.noRun.hours} h (the run-finished rule did not fire)`,
          namespace: "AWS/Events",
          metricName: "TriggeredRules",
          dimensions: { RuleName: props.noRun.ruleName },
          statistic: "Sum",
          period: HOUR,
          evaluationPeriods: props.noRun.hours,
          datapointsToAlarm: props.noRun.hours,
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
          treatMissingData: "breaching",
          ...actions,
        }),
      );
  }
}
