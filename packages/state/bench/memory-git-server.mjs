// A smart-HTTP git server answering from memory (one commit for every repository), for the scale benchmark: it
// serves v2 (capability advertisement and ls-refs) and v0 (info/refs advertisement), as fast as node answers.
// Run in its own process so the benchmark measures the client's CPU alone; prints its port.
import { Buffer } from "node:buffer";
import http from "node:http";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const pkt = (s) => (Buffer.byteLength(s) + 4).toString(16).padStart(4, "0") + s;
const caps =
  "001e# service=git-upload-pack\n0000" +
  pkt("version 2\n") +
  pkt("agent=git/2\n") +
  pkt("ls-refs=unborn\n") +
  pkt("fetch=shallow\n") +
  pkt("object-format=sha1\n") +
  "0000";
const v0 =
  "001e# service=git-upload-pack\n0000" +
  pkt(`${SHA} HEAD\0multi_ack side-band-64k symref=HEAD:refs/heads/main agent=git/2\n`) +
  pkt(`${SHA} refs/heads/main\n`) +
  "0000";
const lsRefs = pkt(`${SHA} HEAD symref-target:refs/heads/main\n`) + pkt(`${SHA} refs/heads/main\n`) + "0000";

const server = http.createServer((req, res) => {
  const v2 = /version=2/.test(req.headers["git-protocol"] ?? "");
  if (req.method === "GET" && /\/info\/refs\?service=git-upload-pack$/.test(req.url ?? "")) {
    res.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement", "cache-control": "no-cache" });
    res.end(v2 ? caps : v0);
    return;
  }
  if (req.method === "POST" && /\/git-upload-pack$/.test(req.url ?? "") && v2) {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/x-git-upload-pack-result" });
      res.end(lsRefs);
    });
    return;
  }
  req.resume();
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
