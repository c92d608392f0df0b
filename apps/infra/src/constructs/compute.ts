import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment/index.js";
import type { BatchComputeEnvironmentComputeResources } from "@cdktf/provider-aws/lib/batch-compute-environment/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { Token } from "cdktf";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ComputeType } from "../config/schema.js";

export interface ComputeProps {
  readonly computeEnvironmentName: string;
  readonly launchTemplateName: string;
  readonly type: ComputeType;
  readonly instanceTypes: readonly string[];
  readonly minVcpus: number;
  readonly maxVcpus: number;
  /** SPOT only. */
  readonly bidPercentage: number;
  /** EC2/SPOT root volume in GiB. */
  readonly rootVolumeGiB: number;
  readonly imageType: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Instance profile ARN (EC2/SPOT). */
  readonly instanceProfileArn?: string;
  /** Tags for the instances and volumes Batch launches. */
  readonly tags: Readonly<Record<string, string>>;
  /** Resources the compute environment must wait for (the service-linked role, instance role policies). */
  readonly dependsOn?: ITerraformDependable[];
}

export const isFargate = (type: ComputeType): boolean => type === "FARGATE" || type === "FARGATE_SPOT";

/**
 * The managed Batch compute environment, scaling from `minVcpus` (default 0: nothing runs when idle) to
 * `maxVcpus`; for EC2/SPOT with a launch template: encrypted gp3 root volume deleted on termination, IMDSv2
 * required with hop limit 1 (the instance's own agents reach the metadata; containers on the Docker bridge, one hop
 * further, get no token: their credentials come from the ECS agent's endpoint, not the instance role).
 */
export class Compute extends Construct {
  readonly computeEnvironment: BatchComputeEnvironment;
  readonly launchTemplate?: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id);
    let computeResources: BatchComputeEnvironmentComputeResources;
    if (isFargate(props.type)) {
      computeResources = {
        type: props.type,
        maxVcpus: props.maxVcpus,
        subnets: [...props.subnetIds],
        securityGroupIds: [...props.securityGroupIds],
      };
    } else {
      if (props.instanceProfileArn === undefined) throw new Error("EC2/SPOT compute needs an instance profile");
      this.launchTemplate = new LaunchTemplate(this, "launch-template", {
        name: props.launchTemplateName,
        description: "mass-ingest Batch instances",
        updateDefaultVersion: true,
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: props.rootVolumeGiB,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ],
        // hop limit 1: a container on the Docker bridge never gets an IMDSv2 token (nothing in the jobs needs one)
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        tagSpecifications: [
          { resourceType: "instance", tags: { ...props.tags } },
          { resourceType: "volume", tags: { ...props.tags } },
        ],
      });
      computeResources = {
        type: props.type,
        allocationStrategy: props.type === "SPOT" ? "SPOT_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
        ...(props.type === "SPOT" ? { bidPercentage: props.bidPercentage } : {}),
        instanceType: [...props.instanceTypes],
        minVcpus: props.minVcpus,
        maxVcpus: props.maxVcpus,
        subnets: [...props.subnetIds],
        securityGroupIds: [...props.securityGroupIds],
        instanceRole: props.instanceProfileArn,
        ec2Configuration: [{ imageType: props.imageType }],
        launchTemplate: {
          launchTemplateId: this.launchTemplate.id,
          // A concrete version, so a template change updates the compute environment.
          version: Token.asString(this.launchTemplate.latestVersion),
        },
        tags: { ...props.tags },
      };
    }
    this.computeEnvironment = new BatchComputeEnvironment(this, "compute-environment", {
      name: props.computeEnvironmentName,
      type: "MANAGED",
      state: "ENABLED",
      computeResources,
      ...(props.dependsOn === undefined ? {} : { dependsOn: props.dependsOn }),
    });
  }
}
