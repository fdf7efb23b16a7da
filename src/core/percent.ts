/**
 * Percent-decode text from input (a purl, a filter), keeping it as written when its escapes are malformed
 * (`%zz`, a lone `%`): decodeURIComponent throws URIError there, which would surface as an internal error.
 */
export function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
