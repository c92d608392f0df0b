/**
 * The one malformed-quote case csv-parse accepts with `relax_quotes`: text after a closing quote (`"x"y`). A
 * quote inside an unquoted field (`b"c`) stays literal, as before; a quoted field must end at a comma or a line
 * break. Runs only for records where a field starts with a quote (rare), on the record's raw text.
 */

/**
 * The character after a closing quote that is neither a comma nor a line break, with its 1-based field number,
 * or undefined when every quoted field of `raw` is closed properly.
 */
export function textAfterClosingQuote(raw: string): { char: string; field: number } | undefined {
  let i = 0;
  let field = 1;
  const n = raw.length;
  while (i < n) {
    if (raw.charCodeAt(i) === 0x22) {
      let j = i + 1;
      for (;;) {
        const q = raw.indexOf('"', j);
        if (q < 0) return undefined; // never closed: csv-parse reports that itself
        if (raw.charCodeAt(q + 1) === 0x22) {
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i >= n) return undefined;
      const c = raw.charCodeAt(i);
      if (c !== 0x2c && c !== 0x0a && c !== 0x0d) return { char: raw[i] as string, field };
    } else {
      while (i < n && raw.charCodeAt(i) !== 0x2c && raw.charCodeAt(i) !== 0x0a && raw.charCodeAt(i) !== 0x0d) i++;
    }
    if (i >= n || raw.charCodeAt(i) !== 0x2c) return undefined;
    i++;
    field++;
  }
  return undefined;
}

/** Physical line breaks in `text`: LF, CR and CRLF each count once. */
export function lineBreaks(text: string): number {
  let count = 0;
  let i = text.indexOf("\n");
  if (text.indexOf("\r") < 0) {
    while (i >= 0) {
      count++;
      i = text.indexOf("\n", i + 1);
    }
    return count;
  }
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) count++;
    else if (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a) count++;
  }
  return count;
}
