import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { ImageRepository } from "../constructs/image-repository.js";
import { partitionOf } from "../iam-policy.js";

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/;

/** The worker image the job definitions run, and the ECR repository the roles may pull from. */
export interface WorkerImage {
  /** Image URI with tag, or with digest (`repository@sha256:…`) when `image.digest` is set. */
  readonly uri: string;
  /** ECR repository ARN; undefined for images outside ECR (no pull permissions needed). */
  readonly repositoryArn?: string;
  /** The repository this stack creates (`ecr.create`). */
  readonly repository?: ImageRepository;
}

/** `@sha256:…` when the image is pinned by digest, else `:tag`. */
const reference = (config: DeploymentContext["config"]) => (config.image.digest ? `@${config.image.digest}` : `:${config.image.tag}`);

/** The image: a repository this stack creates (`ecr.create`), or the one configured. */
export function workerImage(scope: Construct, { config, names }: DeploymentContext): WorkerImage {
  if (config.ecr.create) {
    const repository = new ImageRepository(scope, "image-repository", { name: names.imageRepository, ...config.ecr });
    return { uri: `${repository.repository.repositoryUrl}${reference(config)}`, repositoryArn: repository.repository.arn, repository };
  }
  const configured = config.image.repository as string; // the schema requires it when ecr.create is false
  const ecr = ECR_IMAGE.exec(configured);
  const uri = `${configured}${reference(config)}`;
  if (ecr === null) return { uri };
  return { uri, repositoryArn: `arn:${partitionOf(ecr[2] as string)}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}` };
}
