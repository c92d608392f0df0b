/** Rules across fields of one deployment config (the schema checks each field on its own). */
import { BlockList } from "node:net";
import type { z } from "zod";
import { MANAGED_PROCESSOR_ENV_NAMES, PROCESSOR_ENV } from "@mass-ingest/contract";
import type { DeploymentFieldsSchema } from "./schema.js";

/** Adds an issue to `ctx` for every rule `c` breaks; each names the field to change. */
export function checkDeploymentRules(c: z.output<typeof DeploymentFieldsSchema>, ctx: z.RefinementCtx): void {
  const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (c.ecr.create && c.image.repository !== undefined)
    add(["image", "repository"], "must be omitted when ecr.create is true (the created repository is used)");
  if (!c.ecr.create && c.image.repository === undefined)
    add(["image", "repository"], "is missing: give the image repository URI, or set ecr.create to true");
  const s3Publish = c.publish.url.startsWith("s3://");
  if (!s3Publish) {
    const user = c.publish.userSecretArn !== undefined;
    const password = c.publish.passwordSecretArn !== undefined;
    if (user !== password)
      add(["publish", user ? "passwordSecretArn" : "userSecretArn"], "is missing: user and password secrets go together");
    if (c.publish.tokenSecretArn !== undefined && user)
      add(["publish", "tokenSecretArn"], "conflicts with userSecretArn/passwordSecretArn: configure one way to authenticate");
    if (c.publish.tokenSecretArn === undefined && !user)
      add(["publish"], "needs userSecretArn + passwordSecretArn or tokenSecretArn for an https:// publish URL");
  } else {
    for (const key of ["userSecretArn", "passwordSecretArn", "tokenSecretArn"] as const)
      if (c.publish[key] !== undefined) add(["publish", key], "must be omitted for an s3:// publish URL (the job role writes to S3)");
  }
  if ((c.network.metricsPort === undefined) !== (c.network.metricsCidr === undefined))
    add(
      ["network", c.network.metricsPort === undefined ? "metricsPort" : "metricsCidr"],
      "is missing: metricsPort and metricsCidr go together",
    );
  if (c.compute.minVcpus > c.compute.maxVcpus) add(["compute", "minVcpus"], "must not exceed compute.maxVcpus");
  if (c.alerts.email !== undefined && !c.alerts.enabled) add(["alerts", "enabled"], "must be true when alerts.email is set");
  for (const key of Object.keys(c.processor.environment))
    if (MANAGED_PROCESSOR_ENV_NAMES.includes(key))
      add(["processor", "environment", key], "is set by the stack from its own field; remove it here");
  if (c.network.metricsPort !== undefined && PROCESSOR_ENV.monitorPort.name in c.processor.environment)
    add(["processor", "environment", PROCESSOR_ENV.monitorPort.name], "is set by the stack from network.metricsPort; remove it here");
  if (c.compute.type === "FARGATE" || c.compute.type === "FARGATE_SPOT") {
    if (c.compute.rootVolumeGiB > 200) add(["compute", "rootVolumeGiB"], "must be at most 200 on Fargate (ephemeral storage)");
    for (const job of ["processor", "chunker"] as const) {
      const problem = fargateSizeProblem(c[job].vcpus, c[job].memoryMiB);
      if (problem !== undefined) add([job, "memoryMiB"], problem);
    }
    const large = c.processor.largeMemoryMiB;
    const largeProblem = large === undefined ? undefined : fargateSizeProblem(c.processor.vcpus, large);
    if (largeProblem !== undefined) add(["processor", "largeMemoryMiB"], largeProblem);
  }
  checkRunRules(c, add);
  checkEgressRules(c, add);
  if (c.processor.vcpus > c.compute.maxVcpus) add(["processor", "vcpus"], "must not exceed compute.maxVcpus (the job could never run)");
}

type Add = (path: (string | number)[], message: string) => void;

/** The state store, report, alarms and the worker's CA_CERTS / MOD_JAVA_OPTIONS fields. */
function checkRunRules(c: z.output<typeof DeploymentFieldsSchema>, add: Add): void {
  if (c.stateUrl !== undefined && c.state.create === true)
    add(["state", "create"], "conflicts with stateUrl: either the stack creates the state bucket or stateUrl names an existing one");
  if (c.stateUrl !== undefined && c.state.bucketName !== undefined)
    add(["state", "bucketName"], "conflicts with stateUrl (an existing state store); remove one of them");
  const alarms = c.alarms.failedRepos || c.alarms.timedOutRepos || c.alarms.noRunHours !== undefined;
  if (alarms && !c.alerts.enabled) add(["alerts", "enabled"], "must be true when an alarm is on (alarms publish to the alerts topic)");
  const stateStore = c.stateUrl !== undefined || c.state.create !== false;
  if (c.alarms.noRunHours !== undefined && !(stateStore && c.report.enabled))
    add(
      ["alarms", "noRunHours"],
      "needs the run report (a state store and report.enabled): it watches the rule that reacts to finished runs",
    );
  const large = c.processor.largeMemoryMiB;
  if (large !== undefined && large <= c.processor.memoryMiB)
    add(
      ["processor", "largeMemoryMiB"],
      `must be more than processor.memoryMiB (${c.processor.memoryMiB}): it is the memory retry's larger size`,
    );
  const env = c.processor.environment;
  if (c.processor.modJavaOptions !== undefined && PROCESSOR_ENV.modJavaOptions.name in env)
    add(["processor", "environment", PROCESSOR_ENV.modJavaOptions.name], "is set by processor.modJavaOptions too; keep one of them");
  if (c.caCertsSecretArn !== undefined && PROCESSOR_ENV.caCerts.name in env)
    add(["processor", "environment", PROCESSOR_ENV.caCerts.name], "is set from caCertsSecretArn too; keep one of them");
}

/**
 * Fargate accepts only certain vCPU/memory pairs; returns what is wrong, or undefined when the pair is valid.
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html
 */
export function fargateSizeProblem(vcpus: number, memoryMiB: number): string | undefined {
  const ranges: Record<number, [number, number, number]> = {
    1: [2048, 8192, 1024],
    2: [4096, 16_384, 1024],
    4: [8192, 30_720, 1024],
    8: [16_384, 61_440, 4096],
    16: [32_768, 122_880, 8192],
  };
  const range = ranges[vcpus];
  if (range === undefined) return `Fargate supports 1, 2, 4, 8 or 16 vCPUs, not ${vcpus}`;
  const [min, max, step] = range;
  if (memoryMiB < min || memoryMiB > max || (memoryMiB - min) % step !== 0)
    return `Fargate with ${vcpus} vCPU needs ${min}-${max} MiB in steps of ${step}, not ${memoryMiB}`;
  return undefined;
}

/** The egress allow-list must let the jobs reach the proxy it names. */
function checkEgressRules(c: z.output<typeof DeploymentFieldsSchema>, add: Add): void {
  const { allowOnly, proxyUrl } = c.network.egress;
  if (allowOnly === undefined || proxyUrl === undefined) return;
  const url = new URL(proxyUrl);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (!allowOnly.ports.includes(port))
    add(
      ["network", "egress", "allowOnly", "ports"],
      `must include ${port}, the port of network.egress.proxyUrl, or the jobs cannot reach the proxy`,
    );
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) && !allowOnly.cidrs.some((cidr) => inCidr(url.hostname, cidr)))
    add(["network", "egress", "allowOnly", "cidrs"], `must include the proxy's address ${url.hostname} (network.egress.proxyUrl)`);
}

/** Whether the IPv4 address `ip` is inside `cidr` (Node's BlockList does the subnet arithmetic). */
function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bits = "32"] = cidr.split("/");
  const range = new BlockList();
  try {
    range.addSubnet(base, Number(bits), "ipv4");
    return range.check(ip, "ipv4");
  } catch {
    return false; // an octet over 255 passes the CIDR pattern; such a range holds no address
  }
}
