// Shared tsup settings: every published library builds ESM + CJS with declarations; every app bundles only its
// own code (the libraries stay dependencies resolved through their package entry points) as one executable ESM file.
import { defineConfig } from "tsup";

/** A published library: `entry` files (default src/index.ts) as ESM + CJS with .d.ts/.d.cts. */
export function library(entry: string[] = ["src/index.ts"]) {
  return defineConfig({ entry, format: ["esm", "cjs"], dts: true, clean: true, sourcemap: true, target: "node20" });
}

/** An app: src/main.ts as one executable ESM file. */
export function app() {
  return defineConfig({
    entry: ["src/main.ts"],
    format: ["esm"],
    clean: true,
    sourcemap: true,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  });
}
