/** The optional egress allow-list of the jobs: a proxy for their outbound HTTP(S), and VPC endpoints for AWS APIs. */
import { z } from "zod";
import { CIDR, bool, int, text } from "./fields.js";

/** An interface endpoint's service name after `com.amazonaws.<region>.` (e.g. logs, ecs-agent, sts). */
const SERVICE = /^[a-z0-9]+([.-][a-z0-9]+)*$/;

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
        /** More interface endpoints, by service name (e.g. logs, sts, batch, ecs, ecs-agent, ecs-telemetry). */
        services: z.array(text("an AWS service name such as logs or ecs-agent", SERVICE)).default([]),
      })
      .prefault({}),
    /**
     * Close the jobs' security group: instead of all outbound, only TCP to these IPv4 ranges on these ports, plus
     * HTTPS to the VPC endpoints above (the S3 prefix list, the interface endpoints' group).
     */
    allowOnly: z
      .strictObject({
        cidrs: z.array(text("an IPv4 CIDR such as 10.0.0.0/16", CIDR)).min(1, { error: "must name at least one IPv4 CIDR" }),
        ports: z
          .array(int("a TCP port", 1, 65535))
          .min(1, { error: "must name at least one TCP port" })
          .default([443]),
      })
      .optional(),
  })
  .prefault({});
