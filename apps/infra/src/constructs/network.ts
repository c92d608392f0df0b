import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Construct } from "constructs";

export interface NetworkProps {
  /** Security group name. */
  readonly name: string;
  readonly vpcId: string;
  /** Open this TCP port (the `mod monitor` metrics endpoint) to `metricsCidr`; no inbound rule otherwise. */
  readonly metricsPort?: number;
  readonly metricsCidr?: string;
  /** Leave out the all-outbound rules: the egress allow-list adds its own (`allowEgress`). */
  readonly restrictEgress?: boolean;
}

/** Where the jobs may connect when their egress is restricted: TCP ports to IPv4 ranges, a prefix list, a group. */
export interface EgressAllowList {
  readonly cidrs: readonly string[];
  readonly ports: readonly number[];
  /** The S3 gateway endpoint's prefix list (HTTPS). */
  readonly s3PrefixListId?: string;
  /** The interface endpoints' security group (HTTPS). */
  readonly endpointSecurityGroupId?: string;
}

/** The jobs' security group: no inbound by default, an optional metrics scrape port, all outbound unless restricted. */
export class Network extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: props.name,
      description: "mass-ingest Batch jobs: outbound to git hosts, artifact repository and AWS APIs",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.name },
    });
    if (!props.restrictEgress) this.allowAllEgress();
    if (props.metricsPort !== undefined && props.metricsCidr !== undefined) {
      new VpcSecurityGroupIngressRule(this, "metrics", {
        securityGroupId: this.securityGroup.id,
        description: "Prometheus scrape of mod monitor",
        ipProtocol: "tcp",
        fromPort: props.metricsPort,
        toPort: props.metricsPort,
        cidrIpv4: props.metricsCidr,
      });
    }
  }

  private allowAllEgress(): void {
    new VpcSecurityGroupEgressRule(this, "egress-ipv4", {
      securityGroupId: this.securityGroup.id,
      description: "all outbound IPv4",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this, "egress-ipv6", {
      securityGroupId: this.securityGroup.id,
      description: "all outbound IPv6",
      ipProtocol: "-1",
      cidrIpv6: "::/0",
    });
  }

  /** The egress allow-list's rules (with `restrictEgress`): TCP to each range on each port, HTTPS to the endpoints. */
  allowEgress(allow: EgressAllowList): void {
    const rule = (
      id: string,
      description: string,
      port: number,
      to: { cidrIpv4: string } | { prefixListId: string } | { referencedSecurityGroupId: string },
    ) =>
      new VpcSecurityGroupEgressRule(this, id, {
        securityGroupId: this.securityGroup.id,
        description,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...to,
      });
    for (const [i, cidr] of allow.cidrs.entries())
      for (const port of allow.ports) rule(`egress-allow-${i}-${port}`, `allow-list: TCP ${port} to ${cidr}`, port, { cidrIpv4: cidr });
    if (allow.s3PrefixListId !== undefined)
      rule("egress-s3-endpoint", "HTTPS to the S3 gateway endpoint", 443, { prefixListId: allow.s3PrefixListId });
    if (allow.endpointSecurityGroupId !== undefined)
      rule("egress-interface-endpoints", "HTTPS to the VPC interface endpoints", 443, {
        referencedSecurityGroupId: allow.endpointSecurityGroupId,
      });
  }
}
