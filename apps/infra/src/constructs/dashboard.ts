import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import { Construct } from "constructs";
import { RUN_METRICS, searchAll } from "../metrics.js";

export interface DashboardProps {
  readonly name: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly queueName: string;
  /** The rule that fires when a run's array job finishes (its TriggeredRules count runs). */
  readonly runFinishedRuleName?: string;
}

const HOUR = 3600;

/** A graph of SEARCH expressions, one line per expression (summed over runs and partitions). */
function graph(title: string, region: string, lines: [label: string, expression: string][], x: number, y: number, stacked = false) {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region,
      view: "timeSeries",
      stacked,
      period: HOUR,
      metrics: lines.map(([label, expression], i) => [{ expression, label, id: `e${i}` }]),
    },
  };
}

/** The widgets of the run dashboard (exported for the tests). */
export function dashboardWidgets(props: DashboardProps): Record<string, unknown>[] {
  const { repos, durations } = RUN_METRICS;
  const sum = (metric: string) => `SUM(${searchAll(metric, "Sum", HOUR)})`;
  const avg = (metric: string) => `AVG(${searchAll(metric, "Average", HOUR)})`;
  const max = (metric: string) => `MAX(${searchAll(metric, "Maximum", HOUR)})`;
  const widgets: Record<string, unknown>[] = [
    graph("Repositories per hour by outcome", props.region, [["ok", sum(repos.ok)], ["failed", sum(repos.failed)], ["timed out", sum(repos.timedOut)], ["unchanged", sum(repos.unchanged)]], 0, 0, true),
    graph("Failed and timed-out repositories by partition", props.region, [["failed", searchAll(repos.failed, "Sum", HOUR)], ["timed out", searchAll(repos.timedOut, "Sum", HOUR)]], 12, 0),
    graph("Step duration per repository (average, ms)", props.region, [["sync", avg(durations.sync)], ["build", avg(durations.build)], ["publish", avg(durations.publish)]], 0, 6),
    graph("Slowest repository per hour (ms)", props.region, [["sync", max(durations.sync)], ["build", max(durations.build)], ["publish", max(durations.publish)]], 12, 6),
    {
      type: "log",
      x: 0,
      y: 12,
      width: 24,
      height: 6,
      properties: {
        title: `Job queue ${props.queueName}: failures in the job logs`,
        region: props.region,
        view: "table",
        query: `SOURCE '${props.logGroupName}' | fields @timestamp, @logStream, @message | filter @message like /(?i)(error|failed|timed out)/ | sort @timestamp desc | limit 100`,
      },
    },
    {
      type: "text",
      x: 0,
      y: 18,
      width: 24,
      height: 2,
      properties: {
        markdown: `Job queue: [${props.queueName}](https://${props.region}.console.aws.amazon.com/batch/home?region=${props.region}#queues/detail/${props.queueName}) · logs: \`${props.logGroupName}\` · metrics: namespace \`${RUN_METRICS.namespace}\`, dimensions ${RUN_METRICS.dimensions.runId} and ${RUN_METRICS.dimensions.partition}`,
      },
    },
  ];
  if (props.runFinishedRuleName !== undefined)
    widgets.push({
      type: "metric",
      x: 0,
      y: 20,
      width: 12,
      height: 6,
      properties: {
        title: "Runs finished (report jobs submitted)",
        region: props.region,
        view: "timeSeries",
        period: 86_400,
        stat: "Sum",
        metrics: [["AWS/Events", "TriggeredRules", "RuleName", props.runFinishedRuleName]],
      },
    });
  return widgets;
}

/** A CloudWatch dashboard of the runs: repositories by outcome, step durations, the job queue's failures. */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", { dashboardName: props.name, dashboardBody: JSON.stringify({ widgets: dashboardWidgets(props) }) });
  }
}
