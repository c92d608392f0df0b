import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role/index.js";
import { Construct } from "constructs";
import { trustPolicy } from "../iam-policy.js";
import type { PolicyDocument } from "../iam-policy.js";

export interface RoleProps {
  readonly name: string;
  readonly description: string;
  /** Service principal that assumes the role, e.g. ecs-tasks.amazonaws.com. */
  readonly service: string;
  /** Only this account's resources may make the service assume the role (confused-deputy guard). */
  readonly sourceAccount?: string;
  readonly permissionsBoundaryArn?: string;
}

/** One IAM role with inline policies added by `grant`; nothing attached by default. */
export class Role extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trustPolicy(props.service, props.sourceAccount),
      ...(props.permissionsBoundaryArn === undefined ? {} : { permissionsBoundary: props.permissionsBoundaryArn }),
    });
  }

  /** Attaches `document` as the inline policy `policyName`. */
  grant(policyName: string, document: PolicyDocument): IamRolePolicy {
    return new IamRolePolicy(this, `policy-${policyName}`, {
      name: policyName,
      role: this.role.id,
      policy: JSON.stringify(document),
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}

export interface JobRolesProps {
  readonly executionRoleName: string;
  readonly jobRoleName: string;
  /** Which job, for descriptions. */
  readonly job: string;
  readonly accountId: string;
  readonly permissionsBoundaryArn?: string;
}

/**
 * The two roles of one job definition: the execution role (ECS agent: image pull, logs, secret injection) and
 * the job role (the container's own AWS calls).
 */
export class JobRoles extends Construct {
  readonly execution: Role;
  readonly job: Role;

  constructor(scope: Construct, id: string, props: JobRolesProps) {
    super(scope, id);
    const common = {
      service: "ecs-tasks.amazonaws.com",
      sourceAccount: props.accountId,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    };
    this.execution = new Role(this, "execution", {
      ...common,
      name: props.executionRoleName,
      description: `mass-ingest ${props.job} job execution role: image pull, logs, secrets`,
    });
    this.job = new Role(this, "job", {
      ...common,
      name: props.jobRoleName,
      description: `mass-ingest ${props.job} job role`,
    });
  }
}

export interface InstanceRoleProps {
  readonly name: string;
  readonly permissionsBoundaryArn?: string;
  /** Attach the AWS managed AmazonEC2ContainerServiceforEC2Role (ARN in this partition). */
  readonly managedPolicyArn?: string;
}

/** ECS container instance role and its instance profile (EC2 and SPOT compute only). */
export class InstanceRole extends Construct {
  readonly role: Role;
  readonly profile: IamInstanceProfile;
  /** The managed policy attachment, when asked for. */
  readonly managedPolicy?: IamRolePolicyAttachment;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    this.role = new Role(this, "instance", {
      name: props.name,
      description: "mass-ingest ECS container instance role",
      service: "ec2.amazonaws.com",
      permissionsBoundaryArn: props.permissionsBoundaryArn,
    });
    this.profile = new IamInstanceProfile(this, "profile", { name: props.name, role: this.role.role.name });
    if (props.managedPolicyArn !== undefined) {
      this.managedPolicy = new IamRolePolicyAttachment(this, "managed-policy", {
        role: this.role.role.name,
        policyArn: props.managedPolicyArn,
      });
    }
  }
}

/** The AWSServiceRoleForBatch service-linked role, for accounts that do not have it yet. */
export class BatchServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new IamServiceLinkedRole(this, "role", {
      awsServiceName: "batch.amazonaws.com",
      description: "Lets AWS Batch manage EC2 and ECS resources (created by mass-ingest)",
    });
  }
}
