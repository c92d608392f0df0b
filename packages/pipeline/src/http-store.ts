import { readFile } from "node:fs/promises";
import { rootCertificates } from "node:tls";
import { Agent } from "undici";

/** How an HTTP artifact store (Maven, Artifactory, WebDAV) is reached: auth and TLS. */
export interface HttpStoreAccess {
  /** Basic auth (Maven). */
  user?: string;
  password?: string;
  /** Bearer token (Artifactory). Used when user/password are not both set. */
  token?: string;
  /** Extra CA bundle (PEM) trusted next to Node's root certificates. */
  caFile?: string;
  /** Do not verify TLS certificates (tests only). */
  insecure?: boolean;
}

/** The `authorization` header for the store: Basic for user + password, else Bearer for a token, else none. */
export function storeAuthHeaders(access: HttpStoreAccess): Record<string, string> {
  if (access.user && access.password)
    return { authorization: `Basic ${Buffer.from(`${access.user}:${access.password}`).toString("base64")}` };
  if (access.token) return { authorization: `Bearer ${access.token}` };
  return {};
}

/** An undici dispatcher that verifies TLS with Node's roots plus `caFile` (unless `insecure`). Rejects when caFile is unreadable. */
export async function storeDispatcher(access: HttpStoreAccess): Promise<Agent> {
  const ca = access.caFile ? await readFile(access.caFile, "utf8") : undefined;
  return new Agent({ connect: { rejectUnauthorized: !access.insecure, ...(ca ? { ca: [...rootCertificates, ca] } : {}) } });
}
