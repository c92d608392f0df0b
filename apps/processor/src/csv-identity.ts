import { openCsv } from "@mass-ingest/core/aws";
import { countRows } from "@mass-ingest/partition";
import { hashingCsv } from "@mass-ingest/state";

/** What a plan records of its csv (and checks again before a run): its row count and sha256, from one read. */
export async function csvIdentity(csv: string): Promise<{ rowCount: number; sha256: string }> {
  const hashed = hashingCsv(await openCsv(csv));
  const rowCount = await countRows(hashed.chunks);
  return { rowCount, sha256: hashed.sha256() };
}

const once = (data: Buffer): AsyncIterable<Uint8Array> =>
  (async function* () {
    yield data;
  })();

/**
 * The csv read once (a file, S3 or HTTP) and hashed on the way: its identity (row count, sha256) and a source
 * over the same bytes in memory for the row selection, so an array child does not fetch the csv twice.
 */
export async function readCsvOnce(
  csv: string,
): Promise<{ identity: { rowCount: number; sha256: string }; source: () => AsyncIterable<Uint8Array> }> {
  const hashed = hashingCsv(await openCsv(csv));
  const parts: Buffer[] = [];
  for await (const chunk of hashed.chunks)
    parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  const data = Buffer.concat(parts);
  return { identity: { rowCount: await countRows(once(data)), sha256: hashed.sha256() }, source: () => once(data) };
}
