// The source of every exported function, constant and type of the math core (src/lib) and the
// model layer (src/model), with its doc comment, for the Code page: each equation on the site
// links to /code#name. Read with the TypeScript compiler's parser, so what is shown is the code
// that runs.
import {readdirSync, readFileSync} from "node:fs";
import ts from "typescript";
import type {CodeEntry as Entry} from "../lib/code-format.js";

// Every module under these folders, subfolders included (the page checks are in src/lib/checks/).
const folders = ["src/lib", "src/model"];
const entries: Entry[] = [];
const anchors = new Set<string>();

function kindOf(node: ts.Node): string | null {
  if (ts.isFunctionDeclaration(node)) return "function";
  if (ts.isInterfaceDeclaration(node)) return "interface";
  if (ts.isTypeAliasDeclaration(node)) return "type";
  if (ts.isClassDeclaration(node)) return "class";
  if (ts.isVariableStatement(node)) return "const";
  return null;
}

function nameOf(node: ts.Node): string | null {
  if (ts.isVariableStatement(node)) {
    const declaration = node.declarationList.declarations[0];
    return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : null;
  }
  const named = node as ts.Node & {name?: ts.Identifier};
  return named.name && ts.isIdentifier(named.name) ? named.name.text : null;
}

for (const folder of folders) {
  const files = (readdirSync(folder, {recursive: true}) as string[]).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  for (const file of files.sort()) {
    const path = `${folder}/${file}`;
    const text = readFileSync(path, "utf8");
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      const kind = kindOf(statement);
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!kind || !exported) continue;
      const name = nameOf(statement);
      if (!name) continue;
      const docs = ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc);
      const doc = docs.map((d) => (typeof d.comment === "string" ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? "")).join("\n");
      // Functions are shown whole; types and constants too (they are short here).
      const start = statement.getStart(source, false);
      const anchor = anchors.has(name) ? `${folder.split("/")[1]}-${file.replace(/\.ts$/, "").replaceAll("/", "-")}-${name}` : name;
      anchors.add(anchor);
      entries.push({
        name,
        anchor,
        kind,
        module: path,
        line: source.getLineAndCharacterOfPosition(start).line + 1,
        doc,
        source: text.slice(start, statement.getEnd())
      });
    }
  }
}

process.stdout.write(JSON.stringify({modules: [...new Set(entries.map((e) => e.module))], entries}));
