import { describe, expect, it } from "vitest";
import { causeOf } from "../../src/checks/host-failure.js";

describe("causeOf", () => {
  it("names each kind of ls-remote failure the way the doctor prints it", () => {
    const cases: Array<[Parameters<typeof causeOf>[0], string]> = [
      [{ ok: false, kind: "dns", message: "fatal: unable to access: Could not resolve host: x" }, "DNS"],
      [{ ok: false, kind: "tls", message: "SSL certificate problem: self-signed certificate" }, "TLS"],
      [{ ok: false, kind: "auth", message: "fatal: Authentication failed for 'https://h/a.git/'" }, "401 unauthorized"],
      [{ ok: false, kind: "auth", message: "remote: HTTP Basic: Access denied. The requested URL returned error: 403" }, "403 forbidden"],
      [{ ok: false, kind: "auth", message: "git@h: Permission denied (publickey)." }, "ssh key refused"],
      [{ ok: false, kind: "auth", message: "Host key verification failed." }, "ssh host key unknown"],
      [{ ok: false, kind: "not-found", message: "fatal: repository 'https://h/a.git/' not found" }, "not found"],
      [{ ok: false, kind: "timeout", message: "no answer" }, "timeout"],
      [
        { ok: false, kind: "other", message: "fatal: unable to access: Failed to connect to h port 1: Connection refused" },
        "connection refused",
      ],
      [{ ok: false, kind: "other", message: "something else" }, "error"],
    ];
    expect(cases.map(([failure]) => causeOf(failure))).toEqual(cases.map(([, cause]) => cause));
  });
});
