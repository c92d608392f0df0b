/**
 * The egress allow-list's job environment: the proxy variables git, curl and most tools honour, and the JVM's
 * proxy properties (JAVA_TOOL_OPTIONS, read by every JVM: the Moderne CLI and the Maven/Gradle builds it starts).
 * The AWS SDK of our own Node code does not read them: AWS APIs go through the VPC endpoints (or a NAT).
 */
import type { DeploymentConfig } from "./config/schema.js";

/** Never through the proxy: the ECS credential endpoint, the instance metadata, and loopback. */
const ALWAYS_DIRECT = ["169.254.170.2", "169.254.169.254", "localhost", "127.0.0.1"];

export function proxyEnvironment(config: DeploymentConfig): Record<string, string> {
  const { proxyUrl, noProxy } = config.network.egress;
  if (proxyUrl === undefined) return {};
  const direct = [...ALWAYS_DIRECT, ...(noProxy ?? "").split(",").map((h) => h.trim())].filter((h) => h !== "");
  const url = new URL(proxyUrl);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const jvm = ["https", "http"].flatMap((p) => [`-D${p}.proxyHost=${url.hostname}`, `-D${p}.proxyPort=${port}`]);
  // the JVM's list is "|"-separated with "*" wildcards; a ".domain" entry of NO_PROXY becomes "*.domain"
  const nonProxy = direct.map((h) => (h.startsWith(".") ? `*${h}` : h)).join("|");
  return {
    HTTPS_PROXY: proxyUrl,
    HTTP_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    http_proxy: proxyUrl,
    NO_PROXY: direct.join(","),
    no_proxy: direct.join(","),
    JAVA_TOOL_OPTIONS: [...jvm, `-Dhttp.nonProxyHosts=${nonProxy}`].join(" "),
  };
}
