import { describe, expect, it } from "vitest";
import { parseDeploymentConfig } from "../src/config/load.js";
import { minimalConfig, Synth, type Json } from "./helpers.js";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-0000-4000-8000-000000000001";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const env = (synth: Synth, name: string) =>
  Object.fromEntries((synth.jobDefinition(name).container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));

describe("hardening of the stack (issue 18)", () => {
  it("IMDSv2 only, hop limit 1: containers on the Docker bridge get no instance metadata token", () => {
    expect(new Synth(minimalConfig()).one("aws_launch_template").metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
    });
  });

  it("processor.isolateBuilds runs the processor container as root (builds drop to build users); off by default", () => {
    const plain = new Synth(minimalConfig());
    expect(plain.jobDefinition("mi-test-processor").container.user).toBeUndefined();
    const isolated = new Synth(minimalConfig({ processor: { isolateBuilds: true } }));
    expect(isolated.jobDefinition("mi-test-processor").container.user).toBe("root");
    expect(isolated.jobDefinition("mi-test-chunk").container.user).toBeUndefined();
  });

  it("the image by digest: repository@sha256:…, wins over the tag; a malformed digest is refused", () => {
    const pinned = new Synth(
      minimalConfig({ image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mi", tag: "1.0", digest: DIGEST } }),
    );
    expect(pinned.jobDefinition("mi-test-processor").container.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/mi@${DIGEST}`);
    expect(pinned.jobDefinition("mi-test-chunk").container.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/mi@${DIGEST}`);
    expect(() => parseDeploymentConfig(minimalConfig({ image: { repository: "r.example.com/mi", digest: "sha256:abc" } }))).toThrow(
      /digest/,
    );
  });

  it("optional KMS keys: the log group, the SNS topic and the state bucket", () => {
    const plain = new Synth(minimalConfig({ alerts: { enabled: true } }));
    expect(plain.one("aws_cloudwatch_log_group").kms_key_id).toBeUndefined();
    expect(plain.one("aws_sns_topic").kms_master_key_id).toBeUndefined();
    const keyed = new Synth(
      minimalConfig({ alerts: { enabled: true, kmsKeyArn: KEY }, logs: { kmsKeyArn: KEY }, state: { kmsKeyArn: KEY } }),
    );
    expect(keyed.one("aws_cloudwatch_log_group").kms_key_id).toBe(KEY);
    expect(keyed.one("aws_sns_topic").kms_master_key_id).toBe(KEY);
    const sse = keyed.one("aws_s3_bucket_server_side_encryption_configuration").rule as Json[];
    expect(sse[0]).toMatchObject({ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY } });
  });

  it("egress allow-list: the proxy in the processor's and the chunk job's environment, the JVM's too", () => {
    const plain = new Synth(minimalConfig());
    expect(env(plain, "mi-test-processor").HTTPS_PROXY).toBeUndefined();
    const proxied = new Synth(minimalConfig({ network: { egress: { proxyUrl: "http://proxy.internal:3128", noProxy: ".internal" } } }));
    for (const job of ["mi-test-processor", "mi-test-chunk"]) {
      const e = env(proxied, job);
      expect(e.HTTPS_PROXY).toBe("http://proxy.internal:3128");
      expect(e.NO_PROXY).toBe("169.254.170.2,169.254.169.254,localhost,127.0.0.1,.internal");
      expect(e.JAVA_TOOL_OPTIONS).toContain("-Dhttps.proxyHost=proxy.internal -Dhttps.proxyPort=3128");
      expect(e.JAVA_TOOL_OPTIONS).toContain("-Dhttp.nonProxyHosts=169.254.170.2|169.254.169.254|localhost|127.0.0.1|*.internal");
    }
  });

  it("VPC endpoints: S3 gateway on the route tables, ECR and Secrets Manager interfaces open to the jobs only", () => {
    expect(new Synth(minimalConfig()).all("aws_vpc_endpoint")).toEqual([]);
    const synth = new Synth(
      minimalConfig({
        network: { egress: { vpcEndpoints: { s3RouteTableIds: ["rtb-0123456789abcdef0"], ecr: true, secretsManager: true } } },
      }),
    );
    const endpoints = synth.all("aws_vpc_endpoint");
    expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type]).sort()).toEqual([
      ["com.amazonaws.us-east-1.ecr.api", "Interface"],
      ["com.amazonaws.us-east-1.ecr.dkr", "Interface"],
      ["com.amazonaws.us-east-1.s3", "Gateway"],
      ["com.amazonaws.us-east-1.secretsmanager", "Interface"],
    ]);
    expect(endpoints.find((e) => e.vpc_endpoint_type === "Gateway")?.route_table_ids).toEqual(["rtb-0123456789abcdef0"]);
    const group = synth.one("aws_security_group", "mi-test-batch-endpoints");
    expect(group.ingress).toMatchObject([{ from_port: 443, to_port: 443, protocol: "tcp" }]);
  });
});
