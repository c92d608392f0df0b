import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository/index.js";
import { Construct } from "constructs";

export interface ImageRepositoryProps {
  readonly name: string;
  readonly imageTagMutability: "MUTABLE" | "IMMUTABLE";
  readonly scanOnPush: boolean;
  /** Lifecycle policy: expire all but this many most recent images. */
  readonly keepImages: number;
}

/** Optional ECR repository for the worker image, encrypted, scanned on push, with a lifecycle policy. */
export class ImageRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, "repository", {
      name: props.name,
      imageTagMutability: props.imageTagMutability,
      imageScanningConfiguration: { scanOnPush: props.scanOnPush },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `keep the ${props.keepImages} most recent images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }
}
