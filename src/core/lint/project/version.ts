// The content version of a file's text: what the project index keys its summaries by, and what a fix
// that edits another file records, so the edit is applied only to the text it was computed on.

/** A cheap content version: FNV-1a over the text, with its length. */
export function contentVersion(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${text.length.toString(36)}-${(h >>> 0).toString(36)}`;
}
