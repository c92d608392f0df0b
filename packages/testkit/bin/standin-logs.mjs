// `mod log builds|syncs add` (real zips, appended) and `mod monitor` (Prometheus text until stopped).
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { bad, finish, home, say } from "./standin-context.mjs";
import { exclusive } from "./standin-options.mjs";
import { findRepos } from "./standin-build.mjs";
import { latestId } from "./standin-trace.mjs";

export async function logAdd(kind, { values, positionals, command }) {
  const sub = kind === "syncs" ? "sync" : "build";
  exclusive(command, values, [sub, `last-${sub}`]);
  const [dir, zipFile] = positionals;
  const id = values[sub] ?? latestId(path.join(dir, ".moderne", sub));
  if (!id || !existsSync(path.join(dir, ".moderne", sub, id))) {
    say(bad(values[sub] ? `No ${sub} ${values[sub]} in ${dir}` : `No ${sub} logs in ${dir}`));
    return 1;
  }
  const entries = [];
  for (const name of [`${sub}.log`, "trace.csv"]) {
    const file = path.join(dir, ".moderne", sub, id, name);
    if (existsSync(file)) entries.push([`${sub}/${id}/${name}`, file]);
  }
  if (sub === "build") {
    for (const rel of findRepos(dir)) {
      const log = path.join(dir, rel, ".moderne", "build", id, "build.log");
      if (existsSync(log)) entries.push([`${rel}/build/${id}/build.log`, log]);
    }
  }
  // The reference: the zip may be absent, its directory not.
  if (!existsSync(path.dirname(path.resolve(zipFile)))) {
    say(bad(`Cannot write ${zipFile}: directory ${path.dirname(path.resolve(zipFile))} does not exist`));
    return 1;
  }
  const AdmZip = (await import("adm-zip")).default;
  const zip = existsSync(zipFile) ? new AdmZip(zipFile) : new AdmZip();
  for (const [entry, file] of entries) zip.addFile(entry, readFileSync(file));
  zip.writeZip(zipFile);
  say(`Added ${entries.length} ${sub} log(s) to ${zipFile}`);
  return 0;
}

function metrics() {
  const file = path.join(home, "calls.jsonl");
  const calls = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
  return [
    "# HELP mod_up The stand-in is running.",
    "# TYPE mod_up gauge",
    "mod_up 1",
    "# HELP mod_calls_total Finished mod invocations.",
    "# TYPE mod_calls_total counter",
    `mod_calls_total ${calls}`,
    "",
  ].join("\n");
}

/** Serves /prometheus (the CLI's path) and /metrics on 127.0.0.1 until a signal stops it. */
export function monitor({ values }) {
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`Invalid value for option '--port' (<port>): '${values.port}' is not an int\n`);
    return 2;
  }
  const server = http.createServer((req, res) => {
    if (req.url !== "/prometheus" && req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(metrics());
  });
  server.on("error", (error) => {
    say(bad(`monitor cannot listen on ${port}: ${error.message}`));
    finish(1);
  });
  server.listen(port, "127.0.0.1", () => say(`Monitoring on http://127.0.0.1:${port}/prometheus`));
  return new Promise(() => {});
}
