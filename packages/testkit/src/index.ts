export * from "./ports.js";
export * from "./moto.js";
