/**
 * The egress allow-list (issue 18: "document what remains and add an optional egress allow-list"): with
 * `network.egress.allowOnly` the jobs' security group loses its all-outbound rules and keeps only TCP to the
 * listed ranges and ports, plus HTTPS to the VPC endpoints the config asks for.
 */
import { describe, expect, it } from "vitest";
import { parseDeploymentConfig } from "../src/config/load.js";
import { InfraError } from "../src/errors.js";
import { minimalConfig, Synth, type Json } from "./helpers.js";

const rules = (synth: Synth) => synth.all("aws_vpc_security_group_egress_rule").map(({ ["//"]: _meta, ...rule }) => rule as Json);
const issues = (input: unknown): string[] => {
  try {
    parseDeploymentConfig(input, "cfg");
  } catch (error) {
    if (error instanceof InfraError) return [...error.issues];
    throw error;
  }
  return [];
};

describe("egress allow-list", () => {
  it("by default the jobs may connect anywhere (two all-outbound rules)", () => {
    expect(rules(new Synth(minimalConfig())).map((r) => r.description)).toEqual(["all outbound IPv4", "all outbound IPv6"]);
  });

  it("allowOnly: only TCP to the listed ranges and ports, no all-outbound rule", () => {
    const synth = new Synth(
      minimalConfig({ network: { egress: { allowOnly: { cidrs: ["10.0.0.0/16", "192.168.1.7/32"], ports: [443, 3128] } } } }),
    );
    const got = rules(synth);
    expect(got.some((r) => r.ip_protocol === "-1")).toBe(false);
    expect(got.map((r) => [r.ip_protocol, r.cidr_ipv4, r.from_port, r.to_port]).sort()).toEqual([
      ["tcp", "10.0.0.0/16", 3128, 3128],
      ["tcp", "10.0.0.0/16", 443, 443],
      ["tcp", "192.168.1.7/32", 3128, 3128],
      ["tcp", "192.168.1.7/32", 443, 443],
    ]);
    for (const r of got) expect(r.security_group_id).toBe(synth.ref("aws_security_group", "mi-test-batch", "id"));
  });

  it("allowOnly with VPC endpoints: HTTPS to the S3 prefix list and to the endpoints' group; extra services get endpoints", () => {
    const synth = new Synth(
      minimalConfig({
        network: {
          egress: {
            allowOnly: { cidrs: ["10.0.0.0/16"] },
            vpcEndpoints: { s3RouteTableIds: ["rtb-0123456789abcdef0"], ecr: true, services: ["logs", "ecs-agent", "ecr.api"] },
          },
        },
      }),
    );
    const got = rules(synth);
    const by = (d: string) => got.find((r) => r.description === d);
    expect(got.map((r) => r.description).sort()).toEqual([
      "HTTPS to the S3 gateway endpoint",
      "HTTPS to the VPC interface endpoints",
      "allow-list: TCP 443 to 10.0.0.0/16",
    ]);
    expect(String(by("HTTPS to the S3 gateway endpoint")?.prefix_list_id)).toMatch(/^\$\{aws_vpc_endpoint\.[\w-]+\.prefix_list_id\}$/);
    expect(by("HTTPS to the VPC interface endpoints")?.referenced_security_group_id).toBe(
      synth.ref("aws_security_group", "mi-test-batch-endpoints", "id"),
    );
    const services = synth.all("aws_vpc_endpoint").map((e) => String(e.service_name).replace("com.amazonaws.us-east-1.", ""));
    expect(services.sort()).toEqual(["ecr.api", "ecr.dkr", "ecs-agent", "logs", "s3"]);
  });

  it("services alone create interface endpoints but keep the all-outbound rules", () => {
    const synth = new Synth(minimalConfig({ network: { egress: { vpcEndpoints: { services: ["sts"] } } } }));
    expect(synth.all("aws_vpc_endpoint").map((e) => e.service_name)).toEqual(["com.amazonaws.us-east-1.sts"]);
    expect(rules(synth).map((r) => r.description)).toEqual(["all outbound IPv4", "all outbound IPv6"]);
  });

  it("the proxy must be reachable through the allow-list: its port, and its address when it is an IP", () => {
    const config = (proxyUrl: string, allowOnly: Json) => minimalConfig({ network: { egress: { proxyUrl, allowOnly } } });
    expect(issues(config("http://proxy.internal:3128", { cidrs: ["10.0.0.0/16"] }))).toEqual([
      "cfg.network.egress.allowOnly.ports: must include 3128, the port of network.egress.proxyUrl, or the jobs cannot reach the proxy",
    ]);
    expect(issues(config("http://10.1.2.3:3128", { cidrs: ["10.0.0.0/16"], ports: [3128] }))).toEqual([
      "cfg.network.egress.allowOnly.cidrs: must include the proxy's address 10.1.2.3 (network.egress.proxyUrl)",
    ]);
    expect(issues(config("http://10.0.2.3:3128", { cidrs: ["10.0.0.0/16"], ports: [3128] }))).toEqual([]);
    expect(issues(config("https://proxy.internal", { cidrs: ["10.0.0.0/16"] }))).toEqual([]);
  });

  it("malformed entries are refused, naming the field", () => {
    const bad = issues(
      minimalConfig({ network: { egress: { allowOnly: { cidrs: ["10.0.0.0"], ports: [0] }, vpcEndpoints: { services: ["Logs!"] } } } }),
    );
    expect(bad).toEqual([
      expect.stringMatching(/^cfg\.network\.egress\.vpcEndpoints\.services\.0: is malformed/),
      expect.stringMatching(/^cfg\.network\.egress\.allowOnly\.cidrs\.0: is malformed: expected an IPv4 CIDR/),
      expect.stringMatching(/^cfg\.network\.egress\.allowOnly\.ports\.0: must be at least 1/),
    ]);
  });
});
