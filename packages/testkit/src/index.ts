export * from "./ports.js";
export * from "./moto.js";
export * from "./git-server.js";
export * from "./mod-standin.js";
export * from "./nginx.js";
export * from "./fault-proxy.js";
export * from "./process.js";
