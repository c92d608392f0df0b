import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { Compute, isFargate } from "../constructs/compute.js";
import { BatchServiceLinkedRole, InstanceRole } from "../constructs/iam.js";
import { instancePolicy } from "../policies.js";

export interface ComputeWiring {
  readonly compute: Compute;
  readonly instanceRole?: InstanceRole;
  readonly serviceLinkedRole?: BatchServiceLinkedRole;
}

/**
 * Compute: the service-linked role when asked, the instance role for EC2/SPOT, then the compute environment
 * (which waits for both).
 */
export function addCompute(
  scope: Construct,
  context: DeploymentContext,
  props: { securityGroupId: string; logGroupArn: string; imageRepositoryArn?: string },
): ComputeWiring {
  const { config, names, tags } = context;
  const dependsOn: ITerraformDependable[] = [];
  let serviceLinkedRole: BatchServiceLinkedRole | undefined;
  if (config.compute.createServiceLinkedRole) {
    serviceLinkedRole = new BatchServiceLinkedRole(scope, "batch-service-linked-role");
    dependsOn.push(serviceLinkedRole.role);
  }
  const instanceRole = isFargate(config.compute.type) ? undefined : addInstanceRole(scope, context, props, dependsOn);
  const compute = new Compute(scope, "compute", {
    computeEnvironmentName: names.computeEnvironment,
    launchTemplateName: names.launchTemplate,
    ...config.compute,
    subnetIds: config.subnetIds,
    securityGroupIds: [props.securityGroupId],
    instanceProfileArn: instanceRole?.profile.arn,
    tags,
    dependsOn,
  });
  return {
    compute,
    ...(instanceRole === undefined ? {} : { instanceRole }),
    ...(serviceLinkedRole === undefined ? {} : { serviceLinkedRole }),
  };
}

/** The ECS instance role (EC2/SPOT), its policy, and what the compute environment must wait for. */
function addInstanceRole(
  scope: Construct,
  { config, names, partition, accountId }: DeploymentContext,
  props: { logGroupArn: string; imageRepositoryArn?: string },
  dependsOn: ITerraformDependable[],
): InstanceRole {
  const managed = config.iam.managedInstancePolicy;
  const instanceRole = new InstanceRole(scope, "instance-role", {
    name: names.instanceRole,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
    ...(managed ? { managedPolicyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role` } : {}),
  });
  if (instanceRole.managedPolicy !== undefined) dependsOn.push(instanceRole.managedPolicy);
  dependsOn.push(
    instanceRole.role.grant(
      "ecs-agent",
      instancePolicy({
        partition,
        region: config.region,
        accountId,
        computeEnvironmentName: names.computeEnvironment,
        logGroupArn: props.logGroupArn,
        managedEcsPolicy: managed,
        ...(props.imageRepositoryArn === undefined ? {} : { imageRepositoryArn: props.imageRepositoryArn }),
      }),
    ),
  );
  return instanceRole;
}
