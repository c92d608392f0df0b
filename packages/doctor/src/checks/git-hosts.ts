import path from "node:path";
import { redactUrl } from "@mass-ingest/core";
import { checkCloneUrl, type RepoRow } from "@mass-ingest/partition";
import { prepareGitAuth } from "@mass-ingest/pipeline";
import { DEFAULT_LS_REMOTE_TIMEOUT_MS, lsRemote } from "@mass-ingest/state";
import { envName, envValue } from "../defaults.js";
import { withoutSecrets } from "../exec.js";
import type { Check, CheckContext } from "../types.js";
import { causeOf } from "./host-failure.js";

/** The first repository of each git host (scheme, host and port), in csv order. */
export function firstRepoPerHost(repos: readonly RepoRow[]): Map<string, RepoRow> {
  const hosts = new Map<string, RepoRow>();
  for (const repo of repos) {
    const check = checkCloneUrl(repo.cloneUrl, true);
    if (!check.ok) continue;
    const { scheme, host, port } = check.parts;
    const key = scheme === "file" ? "file" : `${scheme}://${host}${port ? `:${port}` : ""}`;
    if (!hosts.has(key)) hosts.set(key, repo);
  }
  return hosts;
}

/** The git environment the pipeline gives the CLI: credential store file and ssh key file. */
async function gitEnv(context: CheckContext): Promise<Record<string, string | undefined>> {
  const gitCredentials = envValue(context.env, "gitCredentials");
  const sshKey = context.env[envName("gitSshCredentials")];
  const auth = await prepareGitAuth({
    ...(gitCredentials ? { gitCredentials } : {}),
    ...(sshKey?.trim() ? { sshKey } : {}),
    dir: path.join(context.tempDir, "git-auth"),
  });
  const base = withoutSecrets(context.options.processEnv ?? process.env);
  const ssh = auth.GIT_SSH_COMMAND ?? base.GIT_SSH_COMMAND ?? "ssh";
  return { ...base, ...auth, GIT_SSH_COMMAND: `${ssh} -o BatchMode=yes -o ConnectTimeout=10` };
}

/** One `git ls-remote` per git host of the csv, with the configured credentials. */
export const gitHostsCheck: Check = {
  id: "git-hosts",
  title: "git hosts",
  async run(context) {
    const hosts = firstRepoPerHost(context.csv?.repos ?? []);
    if (hosts.size === 0) return { status: "skip", detail: "no valid clone URL in the csv" };
    const env = await gitEnv(context);
    const timeoutMs = context.options.lsRemoteTimeoutMs ?? DEFAULT_LS_REMOTE_TIMEOUT_MS;
    const targets = [...hosts].map(([host, repo]) => ({ key: host, url: repo.cloneUrl, ...(repo.branch ? { branch: repo.branch } : {}) }));
    // http: false: the processors clone with git, so the doctor asks git itself (its credential helpers, proxy, CA)
    const heads = await lsRemote(targets, {
      concurrency: 4,
      timeoutMs,
      env,
      http: false,
      allowFile: context.settings.allowFileUrls === true,
    });
    const results = [...hosts].map(([host, repo]) => ({
      host,
      repo,
      head: heads.get(host) ?? { ok: false as const, kind: "other" as const, message: "no answer" },
    }));
    const failed = results.flatMap((r) => (r.head.ok ? [] : [{ ...r, cause: causeOf(r.head), message: r.head.message }]));
    if (failed.length === 0)
      return { status: "pass", detail: `${hosts.size} host${hosts.size === 1 ? "" : "s"} answered: ${[...hosts.keys()].join(", ")}` };
    const lines = failed.map((r) => `${r.host} ${r.cause} (row ${r.repo.row} ${redactUrl(r.repo.cloneUrl)}: ${r.message})`);
    const auth = failed.some((r) => /401|403|ssh/.test(r.cause));
    return {
      status: "fail",
      detail: `${failed.length} of ${hosts.size} hosts failed: ${lines.join("; ")}`,
      fix: auth
        ? `Put a line https://user:token@host for each host into ${envName("gitCredentials")} (ssh: a key with access in ${envName("gitSshCredentials")}, the host's key in known_hosts); check the token's read scope.`
        : "Check DNS, network access (proxy, firewall) and TLS trust (a private CA must be in the image's trust store) from this machine; check the rows' clone URLs.",
    };
  },
};
