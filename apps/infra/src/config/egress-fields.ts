/** The optional egress allow-list of the jobs: a proxy for their outbound HTTP(S), and VPC endpoints for AWS APIs. */
import { z } from "zod";
import { bool, text } from "./fields.js";

export const egressSchema = z
  .strictObject({
    /**
     * HTTPS_PROXY / HTTP_PROXY of the processor, chunk and report jobs (e.g. http://proxy.internal:3128): the
     * allow-list lives in the proxy. NO_PROXY adds the AWS metadata and credential endpoints by itself.
     */
    proxyUrl: text("an http(s):// proxy URL", /^https?:\/\/\S+$/).optional(),
    /** More NO_PROXY entries (comma-separated hosts or domains, e.g. .internal,10.0.0.0/8). */
    noProxy: text("comma-separated hosts or domains").optional(),
    /** VPC endpoints, so AWS APIs need neither a NAT gateway nor the proxy. */
    vpcEndpoints: z
      .strictObject({
        /** S3 gateway endpoint on these route tables (the jobs' subnets' route tables). */
        s3RouteTableIds: z.array(text("a route table id such as rtb-0123abcd", /^rtb-[0-9a-f]{8,17}$/)).default([]),
        /** Interface endpoints for ECR (api + dkr) in the jobs' subnets. */
        ecr: bool().default(false),
        /** Interface endpoint for Secrets Manager in the jobs' subnets. */
        secretsManager: bool().default(false),
      })
      .prefault({}),
  })
  .prefault({});
