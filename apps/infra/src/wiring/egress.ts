import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { VpcEndpoints } from "../constructs/vpc-endpoints.js";

/** The VPC endpoints of the egress allow-list (`network.egress.vpcEndpoints`), when any is asked for. */
export function addVpcEndpoints(
  scope: Construct,
  { config, names }: DeploymentContext,
  jobSecurityGroupId: string,
): VpcEndpoints | undefined {
  const { vpcEndpoints } = config.network.egress;
  if (vpcEndpoints.s3RouteTableIds.length === 0 && !vpcEndpoints.ecr && !vpcEndpoints.secretsManager) return undefined;
  return new VpcEndpoints(scope, "vpc-endpoints", {
    name: names.securityGroup,
    region: config.region,
    vpcId: config.vpcId,
    subnetIds: config.subnetIds,
    jobSecurityGroupId,
    ...vpcEndpoints,
  });
}
