/**
 * Which network connections a child process opens: `--import` the recorder (a `data:` URL, so no file is needed)
 * and every network `net.Socket#connect` (TCP, TLS, HTTP and the AWS SDK all go through it) prints one line
 * `[socket-recorder] connect <host>:<port>` on stderr before it connects. `socketsOpened` reads them back.
 * Unix sockets (a path, no port) are not network calls and are left out: tsx talks to its parent over one.
 */
const RECORDER = `
import net from "node:net";
import { writeSync } from "node:fs";
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const a = args[0];
  const o = Array.isArray(a) ? a[0] : a;
  const unix = typeof o === "object" && o !== null ? typeof o.path === "string" : typeof a === "string" && !/^\\d+$/.test(a);
  const where = typeof o === "object" && o !== null ? \`\${o.host ?? "localhost"}:\${o.port}\` : \`\${args[1] ?? "localhost"}:\${a}\`;
  if (!unix) writeSync(2, \`[socket-recorder] connect \${where}\\n\`);
  return connect.apply(this, args);
};
`;

/** Node arguments that load the recorder: `[...SOCKET_RECORDER_ARGS, "dist/main.js", "--help"]`. */
export const SOCKET_RECORDER_ARGS: readonly string[] = ["--import", `data:text/javascript,${encodeURIComponent(RECORDER)}`];

/** The connections the recorder saw, from the child's stderr (`host:port` or a socket path). */
export function socketsOpened(stderr: string): string[] {
  return [...stderr.matchAll(/^\[socket-recorder\] connect (.*)$/gm)].map((m) => m[1]!);
}
