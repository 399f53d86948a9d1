/**
 * The Code page's data, written by its loader (src/data/code.json.ts) and shown by
 * src/components/CodeListing.ts: one entry per exported declaration of src/lib and src/model.
 */
export interface CodeEntry {
  name: string;
  /** The element id that /code#… links to: the name, or, where two modules export it, module and name. */
  anchor: string;
  /** "function", "interface", "type", "class" or "const". */
  kind: string;
  /** Its module's path from the repository root. */
  module: string;
  /** Its first line in that module. */
  line: number;
  /** Its doc comment, without the comment markers. */
  doc: string;
  source: string;
}
