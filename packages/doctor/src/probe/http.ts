import { stripUserInfo } from "@mass-ingest/core";
import { storeAuthHeaders, storeDispatcher, type HttpStoreAccess } from "@mass-ingest/pipeline";
import { request, type Agent } from "undici";
import { envName } from "../defaults.js";
import { probeBody, probeName, type ProbeOutcome } from "./local.js";

/** How much of a refusing server's answer the detail shows. */
const BODY_EXCERPT_CHARS = 300;

export interface HttpProbeOptions extends HttpStoreAccess {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  body: string;
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}...` : text;
}

function refused(method: string, url: string, answer: Answer): string {
  const body = excerpt(answer.body);
  return `${method} ${url} answered HTTP ${answer.status}${body ? `: ${body}` : ""}`;
}

function fixFor(status: number): string {
  if (status === 401 || status === 403)
    return `Check ${envName("publishUser")}/${envName("publishPassword")} or ${envName("publishToken")} and the repository's write (deploy) permission.`;
  if (status === 404) return `Check ${envName("publishUrl")}: the repository path must exist.`;
  return `Check ${envName("publishUrl")} and the repository's configuration (is it a deployable Maven/Artifactory repository?).`;
}

/** PUT, GET (same bytes back) and DELETE a probe object under `baseUrl`, with basic or bearer auth and the CA / insecure settings. */
export async function probeHttp(baseUrl: string, options: HttpProbeOptions): Promise<ProbeOutcome> {
  const base = stripUserInfo(baseUrl).replace(/\/+$/, "");
  const name = probeName();
  const url = `${base}/mass-ingest-doctor/${name}`;
  let dispatcher: Agent;
  try {
    dispatcher = await storeDispatcher(options);
  } catch (error) {
    return {
      status: "fail",
      detail: `cannot read ${envName("caFile")} ${options.caFile}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      fix: `Point ${envName("caFile")} at a readable PEM bundle.`,
    };
  }
  const timeout = options.timeoutMs ?? 30_000;
  const send = async (method: "PUT" | "GET" | "DELETE"): Promise<Answer> => {
    const res = await request(url, {
      method,
      dispatcher,
      headers: { ...storeAuthHeaders(options), ...(method === "PUT" ? { "content-type": "text/plain" } : {}) },
      ...(method === "PUT" ? { body: probeBody(name) } : {}),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { status: res.statusCode, body: await res.body.text().catch(() => "") };
  };
  const ok = (a: Answer) => a.status >= 200 && a.status < 300;
  let method: "PUT" | "GET" | "DELETE" = "PUT";
  try {
    const put = await send(method);
    if (!ok(put)) return { status: "fail", detail: refused(method, url, put), fix: fixFor(put.status) };
    method = "GET";
    const get = await send(method);
    if (!ok(get)) return { status: "fail", detail: `PUT worked, but ${refused(method, url, get)}`, fix: fixFor(get.status) };
    if (get.body !== probeBody(name))
      return {
        status: "fail",
        detail: `GET ${url} gave back different content than was PUT`,
        fix: "Check for a proxy that rewrites content.",
      };
    method = "DELETE";
    const del = await send(method);
    if (!ok(del)) {
      return {
        status: "warn",
        detail: `PUT and GET work, but ${refused(method, url, del)}; the probe object stays`,
        fix: "Allow delete for this user, or remove mass-ingest-doctor/ probe objects by hand.",
      };
    }
  } catch (error) {
    const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? e.code;
    const tls = /CERT|SSL|TLS|SELF_SIGNED/i.test(`${code} ${e.message} ${e.cause?.message ?? ""}`);
    return {
      status: "fail",
      detail: `${method} ${url} failed: ${code ?? e.message}${tls ? " (TLS)" : ""}`,
      fix: tls
        ? `Trust the repository's CA: ${envName("caFile")}=<PEM bundle> (or ${envName("insecure")}=true for a test only).`
        : `Check that ${envName("publishUrl")}'s host is reachable from here (DNS, proxy, firewall).`,
    };
  } finally {
    await dispatcher.close();
  }
  return { status: "pass", detail: `${base}: probe object written, read back and deleted` };
}
