/**
 * `git check-ref-format --branch` rules, in TypeScript (no git process per row).
 * See https://git-scm.com/docs/git-check-ref-format.
 */

/** Why git would refuse `name` as a branch name, or undefined when it is valid. */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.charCodeAt(0) === 0x2d) return 'starts with "-" (would be read as a git option)';
  if (name === "@") return 'is "@"';
  if (name === "HEAD") return 'is "HEAD"';
  const n = name.length;
  if (name.charCodeAt(0) === 0x2f) return 'starts with "/"';
  if (name.charCodeAt(n - 1) === 0x2f) return 'ends with "/"';
  if (name.charCodeAt(n - 1) === 0x2e) return 'ends with "."';
  let segStart = 0;
  let prev = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 0x2f;
    if (c === 0x2f) {
      if (i === segStart) return 'contains "//"';
      if (name.charCodeAt(segStart) === 0x2e) return 'has a component starting with "."';
      if (i - segStart >= 5 && name.endsWith(".lock", i)) return 'has a component ending with ".lock"';
      segStart = i + 1;
    } else if (c < 0x20 || c === 0x7f) {
      return "contains a control character";
    } else {
      switch (c) {
        case 0x20:
          return "contains a space";
        case 0x7e: // ~
        case 0x5e: // ^
        case 0x3a: // :
        case 0x3f: // ?
        case 0x2a: // *
        case 0x5b: // [
        case 0x5c: // \
          return `contains "${String.fromCharCode(c)}"`;
        case 0x2e: // .
          if (prev === 0x2e) return 'contains ".."';
          break;
        case 0x7b: // {
          if (prev === 0x40) return 'contains "@{"';
          break;
      }
    }
    prev = c;
  }
  return undefined;
}
