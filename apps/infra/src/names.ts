/** Every resource name the stack uses, derived from the deployment's one `name` prefix. */
export interface ResourceNames {
  readonly securityGroup: string;
  readonly launchTemplate: string;
  readonly computeEnvironment: string;
  readonly jobQueue: string;
  readonly processorJobDefinition: string;
  /** The larger processor job definition (processor.largeMemoryMiB). */
  readonly largeProcessorJobDefinition: string;
  readonly chunkJobDefinition: string;
  /** Job name the chunker gives the processor array jobs it submits (JOB_NAME). */
  readonly processorJobName: string;
  /** Job name the schedule gives the chunk job. */
  readonly chunkJobName: string;
  readonly logGroup: string;
  readonly instanceRole: string;
  readonly instanceProfile: string;
  readonly processorExecutionRole: string;
  readonly processorJobRole: string;
  readonly chunkExecutionRole: string;
  readonly chunkJobRole: string;
  readonly schedulerRole: string;
  readonly schedule: string;
  readonly alertsTopic: string;
  /** EventBridge rule: a run (the processor array job) FAILED -> one alert with counts and the report link. */
  readonly alertsRule: string;
  /** EventBridge rule: the chunk or report job FAILED (no run, or no report). */
  readonly jobAlertsRule: string;
  readonly reportJobDefinition: string;
  readonly reportJobName: string;
  readonly reportExecutionRole: string;
  readonly reportJobRole: string;
  /** EventBridge rule: a run's array job finished -> submit the report job. */
  readonly runFinishedRule: string;
  readonly runFinishedRole: string;
  readonly dashboard: string;
  readonly alarmPrefix: string;
  readonly imageRepository: string;
}

/** Derives every resource name from `name`, so two deployments with different names live in one account. */
export function resourceNames(name: string): ResourceNames {
  return {
    securityGroup: `${name}-batch`,
    launchTemplate: `${name}-batch`,
    computeEnvironment: `${name}-compute`,
    jobQueue: `${name}-queue`,
    processorJobDefinition: `${name}-processor`,
    largeProcessorJobDefinition: `${name}-processor-large`,
    chunkJobDefinition: `${name}-chunk`,
    processorJobName: `${name}-processor`,
    chunkJobName: `${name}-chunk`,
    logGroup: `/aws/batch/${name}`,
    instanceRole: `${name}-ecs-instance`,
    instanceProfile: `${name}-ecs-instance`,
    processorExecutionRole: `${name}-processor-exec`,
    processorJobRole: `${name}-processor-job`,
    chunkExecutionRole: `${name}-chunk-exec`,
    chunkJobRole: `${name}-chunk-job`,
    schedulerRole: `${name}-scheduler`,
    schedule: `${name}-nightly`,
    alertsTopic: `${name}-job-failures`,
    alertsRule: `${name}-run-failed`,
    jobAlertsRule: `${name}-job-failed`,
    reportJobDefinition: `${name}-report`,
    reportJobName: `${name}-report`,
    reportExecutionRole: `${name}-report-exec`,
    reportJobRole: `${name}-report-job`,
    runFinishedRule: `${name}-run-finished`,
    runFinishedRole: `${name}-run-finished`,
    dashboard: name,
    alarmPrefix: name,
    imageRepository: name,
  };
}
