import { Testing } from "cdktf";
import { parseDeploymentConfig } from "../src/config/load.js";
import type { DeploymentConfigInput } from "../src/config/schema.js";
import type { PolicyDocument } from "../src/iam-policy.js";
import { MassIngestStack } from "../src/stack.js";

export const ACCOUNT = "123456789012";
export const secret = (name: string, suffix = ""): string =>
  `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:mass-ingest/${name}-AbCdEf${suffix}`;

/** The smallest valid config: only the fields without defaults. */
export function minimalConfig(overrides: Record<string, unknown> = {}): DeploymentConfigInput {
  return {
    name: "mi-test",
    region: "us-east-1",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    image: { repository: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/mass-ingest` },
    publish: { url: "s3://lst-bucket/lsts" },
    ...overrides,
  } as DeploymentConfigInput;
}

export type Json = Record<string, unknown>;

/** A synthesized stack, parsed, with small accessors. */
export class Synth {
  readonly json: Json;
  readonly stack: MassIngestStack;

  constructor(input: unknown) {
    const config = parseDeploymentConfig(input);
    this.stack = new MassIngestStack(Testing.app(), "test", config);
    this.json = JSON.parse(Testing.synth(this.stack)) as Json;
  }

  /** Every resource of `type`, keyed by logical id. */
  resources(type: string): Record<string, Json> {
    return ((this.json.resource as Record<string, Record<string, Json>> | undefined)?.[type] ?? {}) as Record<string, Json>;
  }

  /** Resources of `type` as a list. */
  all(type: string): Json[] {
    return Object.values(this.resources(type));
  }

  /** The only resource of `type` (fails otherwise), or the one whose `name` is `name`. */
  one(type: string, name?: string): Json {
    const list = this.all(type).filter((r) => name === undefined || r.name === name);
    if (list.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${list.length}`);
    return list[0] as Json;
  }

  /** Terraform reference to attribute `attr` of resource `type` named `name`, e.g. ${aws_iam_role.x.arn}. */
  ref(type: string, name: string, attr: string): string {
    return `\${${this.address(type, name)}.${attr}}`;
  }

  /** Terraform address (`type.logicalId`) of the resource of `type` named `name`. */
  address(type: string, name: string): string {
    const entry = Object.entries(this.resources(type)).find(([, r]) => r.name === name);
    if (entry === undefined) throw new Error(`no ${type} named ${name}`);
    return `${type}.${entry[0]}`;
  }

  /** Terraform reference to an attribute of the only resource of `type`. */
  refOne(type: string, attr: string): string {
    const ids = Object.keys(this.resources(type));
    if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
    return `\${${type}.${ids[0]}.${attr}}`;
  }

  /** The job definition named `name` with its container properties parsed. */
  jobDefinition(name: string): Json & { container: Json } {
    const def = this.one("aws_batch_job_definition", name);
    return { ...def, container: JSON.parse(def.container_properties as string) as Json };
  }

  /** Inline policies by role name: `{ roleName: { policyName: document } }`. */
  policies(): Record<string, Record<string, PolicyDocument>> {
    const roles = this.resources("aws_iam_role");
    const out: Record<string, Record<string, PolicyDocument>> = {};
    for (const role of Object.values(roles)) out[role.name as string] = {};
    for (const p of this.all("aws_iam_role_policy")) {
      const roleId = /^\$\{aws_iam_role\.([^.]+)\.id\}$/.exec(p.role as string)?.[1];
      const roleName = roleId === undefined ? undefined : (roles[roleId]?.name as string | undefined);
      if (roleName === undefined) throw new Error(`policy ${String(p.name)} is not attached to a role of this stack`);
      (out[roleName] as Record<string, PolicyDocument>)[p.name as string] = JSON.parse(p.policy as string) as PolicyDocument;
    }
    return out;
  }

  /** The statement `sid` of `roleName`'s policies. */
  statement(roleName: string, sid: string) {
    const docs = Object.values(this.policies()[roleName] ?? {});
    const found = docs.flatMap((d) => d.Statement).filter((s) => s.Sid === sid);
    if (found.length !== 1) throw new Error(`expected one statement ${sid} on ${roleName}, found ${found.length}`);
    return found[0] as PolicyDocument["Statement"][number];
  }

  /** Sids of every statement attached to `roleName`. */
  sids(roleName: string): string[] {
    return Object.values(this.policies()[roleName] ?? {})
      .flatMap((d) => d.Statement)
      .map((s) => s.Sid)
      .sort();
  }
}
