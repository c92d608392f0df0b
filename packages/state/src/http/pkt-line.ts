/** Git pkt-lines: the framing of the smart protocol (v0 ref advertisement, v2 `ls-refs`). Pure. */

/** A pkt-line: 4 hex digits of length (itself included), then the payload. */
export function pktLine(payload: string): string {
  const length = Buffer.byteLength(payload) + 4;
  return length.toString(16).padStart(4, "0") + payload;
}

export const FLUSH = "0000";
export const DELIM = "0001";

/** The payloads of `body` (flush, delim and response-end packets as undefined); throws on a broken frame. */
export function readPktLines(body: Buffer): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let at = 0;
  while (at < body.length) {
    const head = body.toString("latin1", at, at + 4);
    if (!/^[0-9a-f]{4}$/i.test(head)) throw new Error(`not a pkt-line at byte ${at}`);
    const length = parseInt(head, 16);
    if (length < 4) {
      out.push(undefined);
      at += 4;
      continue;
    }
    if (at + length > body.length) throw new Error("pkt-line cut short");
    out.push(body.toString("utf8", at + 4, at + length).replace(/\n$/, ""));
    at += length;
  }
  return out;
}

/** The `ls-refs` request of protocol v2 for these ref prefixes (peeled tags, symrefs). */
export function lsRefsRequest(prefixes: readonly string[]): string {
  return (
    pktLine("command=ls-refs\n") +
    pktLine("agent=mass-ingest\n") +
    DELIM +
    pktLine("peel\n") +
    pktLine("symrefs\n") +
    prefixes.map((p) => pktLine(`ref-prefix ${p}\n`)).join("") +
    FLUSH
  );
}

/** `ls-refs` output as `git ls-remote` prints it (`<oid>\t<ref>`, peeled tags as `<ref>^{}`); undefined when it is not. */
export function lsRefsToLsRemote(body: Buffer): string | undefined {
  const lines: string[] = [];
  const packets = readPktLines(body);
  if (packets.length === 0 || packets.at(-1) !== undefined) return undefined; // no flush: not a complete ls-refs answer
  for (const line of packets) {
    if (line === undefined) break;
    const [oid, ref, ...attributes] = line.split(" ");
    if (!oid || !ref || !/^[0-9a-f]{40,64}$/.test(oid)) return undefined;
    lines.push(`${oid}\t${ref}`);
    const peeled = attributes.find((a) => a.startsWith("peeled:"));
    if (peeled) lines.push(`${peeled.slice("peeled:".length)}\t${ref}^{}`);
  }
  return lines.join("\n");
}

/** A v0 `info/refs?service=git-upload-pack` advertisement as `git ls-remote` prints it; undefined when it is not one. */
export function advertisementToLsRemote(body: Buffer): string | undefined {
  const packets = readPktLines(body);
  if (!/^# service=git-upload-pack$/.test(packets[0] ?? "")) return undefined;
  const lines: string[] = [];
  for (const packet of packets.slice(1)) {
    if (packet === undefined) continue;
    const [oid, rest] = packet.split(" ", 2);
    const ref = rest?.split("\0")[0];
    if (!oid || !ref || !/^[0-9a-f]{40,64}$/.test(oid)) return undefined;
    if (ref !== "capabilities^{}") lines.push(`${oid}\t${ref}`);
  }
  return lines.join("\n");
}

/** The `ref-prefix`es that cover the ls-remote patterns (HEAD, refs/heads/b, refs/tags/b, ...). */
export function refPrefixes(patterns: readonly string[]): string[] {
  return [...new Set(patterns.map((p) => p.replace(/\^\{\}$/, "")))];
}
