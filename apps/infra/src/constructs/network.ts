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
}

/** The jobs' security group: no inbound by default, an optional metrics scrape port, all outbound. */
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
}
