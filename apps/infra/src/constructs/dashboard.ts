import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js";
import { RUN_METRICS } from "@mass-ingest/contract";
import { Construct } from "constructs";
import { search } from "../metrics.js";

export interface DashboardProps {
  readonly name: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly queueName: string;
  /** The rule that fires when a run's array job finishes (its TriggeredRules count runs). */
  readonly runFinishedRuleName?: string;
}

const HOUR = 3600;
const DAY = 86_400;

type Line = [label: string, expression: string] | [label: string, metric: string, stat: string];

/** A time series graph: SEARCH expressions (one line per match) or the dimensionless totals of a metric. */
function graph(title: string, region: string, lines: Line[], x: number, y: number, stacked = false) {
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
      metrics: lines.map((line, i) =>
        line.length === 2
          ? [{ expression: line[1], label: line[0], id: `e${i}` }]
          : [RUN_METRICS.namespace, line[1], { stat: line[2], label: line[0] }],
      ),
    },
  };
}

/** The widgets below the graphs: the job logs' failures and the links to the queue, logs and metrics. */
function logWidgets(props: DashboardProps): Record<string, unknown>[] {
  return [
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
}

/** The widgets of the run dashboard (exported for the tests). */
export function dashboardWidgets(props: DashboardProps): Record<string, unknown>[] {
  const { repos, durations } = RUN_METRICS;
  const widgets: Record<string, unknown>[] = [
    graph(
      "Repositories per hour by outcome",
      props.region,
      [
        ["ok", repos.ok, "Sum"],
        ["failed", repos.failed, "Sum"],
        ["timed out", repos.timedOut, "Sum"],
        ["unchanged", repos.unchanged, "Sum"],
        ["not started", repos.notStarted, "Sum"],
      ],
      0,
      0,
      true,
    ),
    graph(
      "Failed and timed-out repositories by run",
      props.region,
      [
        ["failed", search(repos.failed, "run", "Sum", DAY)],
        ["timed out", search(repos.timedOut, "run", "Sum", DAY)],
      ],
      12,
      0,
    ),
    graph(
      "Step duration per mod call (average, ms)",
      props.region,
      [
        ["sync", durations.sync, "Average"],
        ["build", durations.build, "Average"],
        ["publish", durations.publish, "Average"],
      ],
      0,
      6,
    ),
    graph(
      "Slowest build per partition (ms): stragglers",
      props.region,
      [["build", search(durations.build, "partition", "Maximum", HOUR)]],
      12,
      6,
    ),
    ...logWidgets(props),
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
        period: DAY,
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
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: JSON.stringify({ widgets: dashboardWidgets(props) }),
    });
  }
}
