import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint/index.js";
import { Construct } from "constructs";

export interface VpcEndpointsProps {
  /** Prefix of the endpoints' security group name. */
  readonly name: string;
  readonly region: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** The jobs' security group: the only one the interface endpoints accept HTTPS from. */
  readonly jobSecurityGroupId: string;
  readonly s3RouteTableIds: readonly string[];
  readonly ecr: boolean;
  readonly secretsManager: boolean;
  /** More interface endpoints, by service name after `com.amazonaws.<region>.`. */
  readonly services?: readonly string[];
}

/**
 * The optional VPC endpoints of the egress allow-list: an S3 gateway endpoint on the given route tables, and
 * interface endpoints (private DNS) for ECR (api, dkr) and Secrets Manager, reachable on 443 from the jobs only.
 */
export class VpcEndpoints extends Construct {
  readonly endpoints: VpcEndpoint[] = [];
  /** The S3 gateway endpoint's prefix list, for a security group rule. */
  s3PrefixListId?: string;
  /** The interface endpoints' security group. */
  securityGroupId?: string;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const service = (s: string) => `com.amazonaws.${props.region}.${s}`;
    if (props.s3RouteTableIds.length > 0) {
      const s3 = new VpcEndpoint(this, "s3", {
        vpcId: props.vpcId,
        serviceName: service("s3"),
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.s3RouteTableIds],
      });
      this.endpoints.push(s3);
      this.s3PrefixListId = s3.prefixListId;
    }
    const named = [...(props.ecr ? ["ecr.api", "ecr.dkr"] : []), ...(props.secretsManager ? ["secretsmanager"] : [])];
    const interfaces = [...new Set([...named, ...(props.services ?? [])])];
    if (interfaces.length === 0) return;
    const group = new SecurityGroup(this, "security-group", {
      name: `${props.name}-endpoints`,
      description: "mass-ingest VPC endpoints: HTTPS from the jobs",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      ingress: [
        { description: "HTTPS from the jobs", protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [props.jobSecurityGroupId] },
      ],
      tags: { Name: `${props.name}-endpoints` },
    });
    this.securityGroupId = group.id;
    for (const s of interfaces) {
      this.endpoints.push(
        new VpcEndpoint(this, s.replaceAll(".", "-"), {
          vpcId: props.vpcId,
          serviceName: service(s),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [group.id],
        }),
      );
    }
  }
}
