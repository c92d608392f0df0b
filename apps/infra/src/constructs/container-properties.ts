/** The container properties of a Batch job definition and the Spot-aware retry conditions every job shares. */
import type { BatchJobDefinitionRetryStrategyEvaluateOnExit } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import type { ComputeType } from "../config/schema.js";
import { isFargate } from "./compute.js";

/**
 * Retry what the infrastructure broke (Spot reclaims and instance failures: status reason `Host EC2*`, and Fargate
 * Spot interruptions), exit on everything else: an application failure would fail again.
 */
export function retryConditions(type: ComputeType): BatchJobDefinitionRetryStrategyEvaluateOnExit[] {
  return [
    { action: "RETRY", onStatusReason: "Host EC2*" },
    ...(type === "FARGATE_SPOT" ? [{ action: "RETRY", onStatusReason: "Your Spot Task was interrupted*" }] : []),
    { action: "EXIT", onReason: "*" },
  ];
}

export interface ContainerPropertiesInput {
  readonly image: string;
  readonly command: readonly string[];
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly jobRoleArn: string;
  readonly executionRoleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly { name: string; valueFrom: string }[];
  readonly logGroupName: string;
  readonly region: string;
  readonly streamPrefix: string;
  readonly computeType: ComputeType;
  readonly assignPublicIp: boolean;
  /** Fargate ephemeral storage in GiB (processor only). */
  readonly ephemeralStorageGiB?: number;
  /** The container's user (the processor: root, so that each build drops to its own build user; docs/security.md). */
  readonly user?: string;
}

/** Batch `containerProperties` (the JSON the job definition carries). */
export function containerProperties(input: ContainerPropertiesInput): Record<string, unknown> {
  const props: Record<string, unknown> = {
    image: input.image,
    command: [...input.command],
    jobRoleArn: input.jobRoleArn,
    executionRoleArn: input.executionRoleArn,
    resourceRequirements: [
      { type: "VCPU", value: String(input.vcpus) },
      { type: "MEMORY", value: String(input.memoryMiB) },
    ],
    environment: Object.keys(input.environment)
      .sort()
      .map((name) => ({ name, value: input.environment[name] as string })),
    // Empty lists are left out: AWS drops them and Terraform would show a diff on every plan.
    ...(input.secrets.length > 0 ? { secrets: [...input.secrets] } : {}),
    ...(input.user ? { user: input.user } : {}),
    // tini-style init: signals reach the app, and the build's process tree is reaped.
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": input.logGroupName,
        "awslogs-region": input.region,
        "awslogs-stream-prefix": input.streamPrefix,
      },
    },
  };
  if (isFargate(input.computeType)) {
    props.networkConfiguration = { assignPublicIp: input.assignPublicIp ? "ENABLED" : "DISABLED" };
    props.fargatePlatformConfiguration = { platformVersion: "LATEST" };
    props.runtimePlatform = { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" };
    if (input.ephemeralStorageGiB !== undefined) props.ephemeralStorage = { sizeInGiB: input.ephemeralStorageGiB };
  }
  return props;
}
