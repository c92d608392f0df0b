import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import type { Network } from "../constructs/network.js";
import { VpcEndpoints } from "../constructs/vpc-endpoints.js";

/** The VPC endpoints of the egress allow-list (`network.egress.vpcEndpoints`), when any is asked for. */
export function addVpcEndpoints(
  scope: Construct,
  { config, names }: DeploymentContext,
  jobSecurityGroupId: string,
): VpcEndpoints | undefined {
  const { vpcEndpoints } = config.network.egress;
  const none = vpcEndpoints.s3RouteTableIds.length === 0 && !vpcEndpoints.ecr && !vpcEndpoints.secretsManager;
  if (none && vpcEndpoints.services.length === 0) return undefined;
  return new VpcEndpoints(scope, "vpc-endpoints", {
    name: names.securityGroup,
    region: config.region,
    vpcId: config.vpcId,
    subnetIds: config.subnetIds,
    jobSecurityGroupId,
    ...vpcEndpoints,
  });
}

/** With `network.egress.allowOnly`: the jobs' only outbound rules, to its ranges and ports and to the endpoints. */
export function restrictEgress({ config }: DeploymentContext, network: Network, endpoints: VpcEndpoints | undefined): void {
  const allow = config.network.egress.allowOnly;
  if (allow === undefined) return;
  network.allowEgress({
    cidrs: allow.cidrs,
    ports: allow.ports,
    ...(endpoints?.s3PrefixListId !== undefined ? { s3PrefixListId: endpoints.s3PrefixListId } : {}),
    ...(endpoints?.securityGroupId !== undefined ? { endpointSecurityGroupId: endpoints.securityGroupId } : {}),
  });
}
