/** `n` and the noun, the singular for one: `countOf(1, "repository", "repositories")` is "1 repository". */
export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
