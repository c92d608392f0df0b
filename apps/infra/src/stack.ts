import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { DeploymentConfig } from "./config/schema.js";
import type { DeploymentContext } from "./context.js";
import type { Alarms } from "./constructs/alarms.js";
import type { Alerts } from "./constructs/alerts.js";
import type { Dashboard } from "./constructs/dashboard.js";
import type { Compute } from "./constructs/compute.js";
import type { BatchServiceLinkedRole, InstanceRole, JobRoles } from "./constructs/iam.js";
import type { ImageRepository } from "./constructs/image-repository.js";
import { JobDefinitions } from "./constructs/job-definitions.js";
import { Logs } from "./constructs/logs.js";
import { Network } from "./constructs/network.js";
import { Queue } from "./constructs/queue.js";
import type { RunReportJob } from "./constructs/run-report.js";
import type { Schedule } from "./constructs/schedule.js";
import type { StateBucket } from "./constructs/state-bucket.js";
import { partitionOf } from "./iam-policy.js";
import { resourceNames } from "./names.js";
import { addStateBackend } from "./wiring/backend.js";
import { addCompute } from "./wiring/compute.js";
import { addVpcEndpoints, restrictEgress } from "./wiring/egress.js";
import { type WorkerImage, workerImage } from "./wiring/image.js";
import { alertsTopic, chunkRoles, grantChunkSubmit, processorRoles } from "./wiring/job-roles.js";
import { addOutputs } from "./wiring/outputs.js";
import { addSchedule } from "./wiring/schedule.js";
import { addObservability, addRunReport, addStateStore, type RunParts } from "./wiring/runs.js";
import type { StateLocation } from "./state-location.js";

/** Tag every resource of a deployment carries (besides the configured tags). */
export const DEPLOYMENT_TAG = "mass-ingest:deployment";

/**
 * The whole AWS deployment of mass-ingest for one environment: network, logs, image repository, IAM, compute,
 * queue, job definitions, schedule and alerts, every name derived from `config.name`. One call per concern; the
 * constructs are in `constructs/`, the wiring between them in `wiring/`.
 */
export class MassIngestStack extends TerraformStack {
  readonly context: DeploymentContext;
  readonly network: Network;
  readonly logs: Logs;
  readonly imageRepository?: ImageRepository;
  readonly compute: Compute;
  readonly queue: Queue;
  readonly jobs: JobDefinitions;
  readonly processorRoles: JobRoles;
  readonly chunkRoles: JobRoles;
  readonly instanceRole?: InstanceRole;
  readonly serviceLinkedRole?: BatchServiceLinkedRole;
  readonly schedule: Schedule;
  readonly alerts?: Alerts;
  /** The run-state store (created or taken), when there is one. */
  readonly state?: StateLocation;
  readonly stateBucket?: StateBucket;
  readonly runReport?: RunReportJob;
  readonly reportRoles?: JobRoles;
  readonly dashboard?: Dashboard;
  readonly alarms?: Alarms;

  constructor(scope: Construct, id: string, config: DeploymentConfig) {
    super(scope, id);
    const context = this.deployment(config);
    const { names } = context;
    this.context = context;

    this.network = new Network(this, "network", {
      name: names.securityGroup,
      vpcId: config.vpcId,
      metricsPort: config.network.metricsPort,
      metricsCidr: config.network.metricsCidr,
      restrictEgress: config.network.egress.allowOnly !== undefined,
    });
    restrictEgress(context, this.network, addVpcEndpoints(this, context, this.network.securityGroup.id));
    this.logs = new Logs(this, "logs", { name: names.logGroup, ...config.logs });
    const logGroupArn = this.logs.logGroup.arn;
    const image = workerImage(this, context);
    if (image.repository !== undefined) this.imageRepository = image.repository;
    const pull = image.repositoryArn === undefined ? {} : { imageRepositoryArn: image.repositoryArn };

    const compute = addCompute(this, context, { securityGroupId: this.network.securityGroup.id, logGroupArn, ...pull });
    this.compute = compute.compute;
    if (compute.instanceRole !== undefined) this.instanceRole = compute.instanceRole;
    if (compute.serviceLinkedRole !== undefined) this.serviceLinkedRole = compute.serviceLinkedRole;
    this.queue = new Queue(this, "queue", { name: names.jobQueue, computeEnvironmentArn: this.compute.computeEnvironment.arn });

    const store = addStateStore(this, context);
    if (store.location !== undefined) this.state = store.location;
    if (store.bucket !== undefined) this.stateBucket = store.bucket;
    const state = store.location === undefined ? {} : { state: store.location };
    this.processorRoles = processorRoles(this, context, { logGroupArn, ...pull, ...state });
    this.chunkRoles = chunkRoles(this, context, { logGroupArn, ...pull });
    this.jobs = new JobDefinitions(this, "jobs", {
      config,
      processorName: names.processorJobDefinition,
      largeProcessorName: names.largeProcessorJobDefinition,
      chunkName: names.chunkJobDefinition,
      image: image.uri,
      logGroupName: this.logs.logGroup.name,
      processorRoles: { executionRoleArn: this.processorRoles.execution.arn, jobRoleArn: this.processorRoles.job.arn },
      chunkRoles: { executionRoleArn: this.chunkRoles.execution.arn, jobRoleArn: this.chunkRoles.job.arn },
      queueArn: this.queue.jobQueue.arn,
      processorJobName: names.processorJobName,
      ...(store.location === undefined ? {} : { stateUrl: store.location.url }),
      ...alertsTopic(context),
    });
    grantChunkSubmit(this.chunkRoles, context, {
      queueArn: this.queue.jobQueue.arn,
      processorJobDefinitionArnPrefix: this.jobs.processor.arnPrefix,
      ...(this.jobs.largeProcessor ? { largeProcessorJobDefinitionArnPrefix: this.jobs.largeProcessor.arnPrefix } : {}),
      ...state,
    });

    this.schedule = addSchedule(this, context, { queueArn: this.queue.jobQueue.arn, chunk: this.jobs.chunk });
    const parts: RunParts = {
      image: image.uri,
      logGroupName: this.logs.logGroup.name,
      logGroupArn,
      ...pull,
      queueArn: this.queue.jobQueue.arn,
      queueName: names.jobQueue,
      processorJobDefinitionArnPrefix: this.jobs.processor.arnPrefix,
      chunkJobDefinitionArnPrefix: this.jobs.chunk.arnPrefix,
      ...state,
    };
    const report = addRunReport(this, context, parts);
    if (report !== undefined) [this.runReport, this.reportRoles] = [report.report, report.roles];
    const seen = addObservability(this, context, parts, report?.report);
    if (seen.alerts !== undefined) this.alerts = seen.alerts;
    if (seen.dashboard !== undefined) this.dashboard = seen.dashboard;
    if (seen.alarms !== undefined) this.alarms = seen.alarms;
    this.outputs(image, seen);
  }

  /** The AWS provider (region, default tags, allowed account), the Terraform backend, and the names and account of the deployment. */
  private deployment(config: DeploymentConfig): DeploymentContext {
    const names = resourceNames(config.name);
    const tags = { ...config.tags, [DEPLOYMENT_TAG]: config.name };
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags }],
      ...(config.accountId === undefined ? {} : { allowedAccountIds: [config.accountId] }),
    });
    addStateBackend(this, config);
    const identity = new DataAwsCallerIdentity(this, "identity");
    return { config, names, partition: partitionOf(config.region), region: config.region, accountId: identity.accountId, tags };
  }

  /** The stack's outputs: queue, jobs, logs, schedule, image, alerts and dashboard, state and report. */
  private outputs(image: WorkerImage, seen: ReturnType<typeof addObservability>): void {
    const { queue, jobs, logs, schedule, state: location, runReport } = this;
    addOutputs(this, {
      queue,
      jobs,
      logs,
      schedule,
      image,
      ...seen,
      ...(location === undefined ? {} : { stateUrl: location.url }),
      ...(runReport === undefined ? {} : { report: runReport }),
    });
  }
}
