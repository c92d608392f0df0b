import { fileURLToPath } from "node:url";
import { envName, envValue } from "../defaults.js";
import { probeHttp } from "../probe/http.js";
import { probeDirectory } from "../probe/local.js";
import { probeS3 } from "../probe/s3.js";
import type { Check } from "../types.js";

/** Write, read back and delete a small probe object under PUBLISH_URL (HTTP PUT/GET/DELETE, S3, or a file:// folder). */
export const artifactStoreCheck: Check = {
  id: "artifact-store",
  title: "artifact store",
  async run({ env, options, signal }) {
    const url = envValue(env, "publishUrl");
    if (!url) return { status: "skip", detail: `no ${envName("publishUrl")}: LSTs stay in DATA_DIR` };
    if (/^s3:\/\//i.test(url)) {
      const endpoint = envValue(env, "s3Endpoint");
      const region = envValue(env, "s3Region");
      const profile = envValue(env, "s3Profile");
      const aws = {
        ...(options.aws ?? {}),
        ...(endpoint ? { endpoint } : {}),
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
      };
      return probeS3(url, envName("publishUrl"), aws, options.processEnv ?? process.env);
    }
    if (/^file:\/\//i.test(url)) return probeDirectory(fileURLToPath(url), envName("publishUrl"));
    if (!/^https?:\/\//i.test(url)) {
      return {
        status: "fail",
        detail: `${envName("publishUrl")} is neither s3:// nor http(s)://`,
        fix: "Write it as https://host/repository or s3://bucket/prefix.",
      };
    }
    const user = envValue(env, "publishUser");
    const password = env[envName("publishPassword")];
    const token = env[envName("publishToken")];
    if (!(user && password) && !token) {
      return {
        status: "fail",
        detail: `${envName("publishUrl")} is set but neither ${envName("publishUser")} + ${envName("publishPassword")} nor ${envName("publishToken")} is`,
        fix: `Set ${envName("publishUser")} and ${envName("publishPassword")} (Maven) or ${envName("publishToken")} (Artifactory); the processor refuses to start without them.`,
      };
    }
    const caFile = envValue(env, "caFile");
    return probeHttp(url, {
      ...(user && password ? { user, password } : {}),
      ...(token ? { token } : {}),
      ...(caFile ? { caFile } : {}),
      insecure: /^(1|true|yes)$/i.test(envValue(env, "insecure") ?? ""),
      signal,
    });
  },
};
