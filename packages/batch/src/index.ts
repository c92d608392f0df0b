export * from "./job-contract.js";
