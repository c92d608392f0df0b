// The release dry run: for every publishable library (or those named on the command line), run what
// `pnpm publish` runs before uploading (prepack = the build) and list the files its tarball would hold.
// Exits 1 if a library would ship without a file its package.json points at. Uploads nothing.
//   pnpm release:dry-run                       # from the workspace root, every library
//   pnpm release:dry-run @mass-ingest/core     # some
import { dryRunPack } from "./pack.js";
import { publicLibraries } from "./workspace.js";

const wanted = process.argv.slice(2);
const libraries = publicLibraries().filter((l) => wanted.length === 0 || wanted.includes(l.name));
const unknown = wanted.filter((name) => !libraries.some((l) => l.name === name));
if (unknown.length) {
  console.error(
    `not a publishable library: ${unknown.join(", ")} (publishable: ${publicLibraries()
      .map((l) => l.name)
      .join(", ")})`,
  );
  process.exit(2);
}

let incomplete = 0;
for (const library of libraries) {
  const { name, version, files, missing } = await dryRunPack(library);
  console.log(`${name}@${version}: ${files.length} files`);
  for (const file of files) console.log(`  ${file}`);
  if (missing.length) {
    incomplete++;
    console.log(`  MISSING (named in package.json, not in the tarball): ${missing.join(", ")}`);
  }
}
if (incomplete) {
  console.error(`${incomplete} of ${libraries.length} libraries would ship incomplete`);
  process.exit(1);
}
