import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { S3Client } from "@aws-sdk/client-s3";
import { fromIni } from "@aws-sdk/credential-providers";

/**
 * Settings every AWS client of mass-ingest honours; unset fields fall back to the standard AWS environment
 * (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, ...).
 */
export interface AwsClientOptions {
  /** Endpoint override, e.g. a moto_server URL or an S3-compatible store. */
  endpoint?: string;
  region?: string;
  /** A named profile of the shared AWS config files (e.g. S3_PROFILE). */
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK retry attempts (SDK default when unset). */
  maxAttempts?: number;
}

/** The constructor settings every client shares: endpoint, region, credentials or profile, attempts. */
export function awsClientConfig(options: AwsClientOptions = {}): {
  endpoint?: string;
  region?: string;
  credentials?: AwsClientOptions["credentials"] | ReturnType<typeof fromIni>;
  maxAttempts?: number;
} {
  return {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials
      ? { credentials: options.credentials }
      : options.profile
        ? { credentials: fromIni({ profile: options.profile }) }
        : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
}

/**
 * The one S3 client factory. Region: the option, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 (S3 answers
 * for every bucket there with a redirect the SDK follows). Path-style addressing whenever the endpoint is overridden
 * (option, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL): S3-compatible stores and moto serve no virtual-host buckets.
 */
export function createS3Client(options: AwsClientOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): S3Client {
  const customEndpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return new S3Client({
    ...awsClientConfig(options),
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(customEndpoint ? { forcePathStyle: true } : {}),
  });
}

/** A Secrets Manager client honouring `endpoint` and the standard AWS environment. */
export function createSecretsClient(options: AwsClientOptions = {}): SecretsManagerClient {
  return new SecretsManagerClient(awsClientConfig(options));
}

/** Secrets Manager clients per region (a secret ARN names its region), closed together. */
export function createSecretsClientFactory(options: AwsClientOptions = {}): {
  clientFor: (region: string) => SecretsManagerClient;
  close: () => void;
} {
  const clients = new Map<string, SecretsManagerClient>();
  return {
    clientFor(region) {
      // The ARN's region wins unless a region is forced (an endpoint override serves one region).
      const key = options.region ?? region;
      let c = clients.get(key);
      if (!c) {
        c = createSecretsClient({ ...options, ...(key ? { region: key } : {}) });
        clients.set(key, c);
      }
      return c;
    },
    close() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
