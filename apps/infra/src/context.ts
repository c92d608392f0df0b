import type { DeploymentConfig } from "./config/schema.js";
import type { ResourceNames } from "./names.js";

/** What every construct of one deployment shares: the validated config, the derived names and the ARN parts. */
export interface DeploymentContext {
  readonly config: DeploymentConfig;
  readonly names: ResourceNames;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  readonly region: string;
  /** The account id (a Terraform token resolved at plan time). */
  readonly accountId: string;
  /** Tags for resources that do not inherit the provider's default tags (instances, volumes). */
  readonly tags: Readonly<Record<string, string>>;
}
