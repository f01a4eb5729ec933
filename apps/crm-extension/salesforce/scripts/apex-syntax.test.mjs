// The checks this project can run without a Salesforce org: every Apex class parses (the Apex tests themselves run
// only in an org, `sf apex run test`), every metadata file is well-formed XML, and every write-back field of
// CARD_API.md has its field file with the type and size the table gives.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ApexErrorListener,
  ApexLexer,
  ApexParser,
  ApexParserBaseListener,
  ApexParserFactory,
  ApexParseTreeWalker,
  CaseInsensitiveInputStream,
} from "@apexdevtools/apex-parser";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const forceApp = join(projectRoot, "force-app");
const cardApi = join(projectRoot, "..", "CARD_API.md");

function filesUnder(dir, accept) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path, accept));
    else if (accept(entry.name)) found.push(path);
  }
  return found.sort();
}

class CollectingListener extends ApexErrorListener {
  errors = [];

  apexSyntaxError(line, column, message) {
    this.errors.push(`${line}:${column} ${message}`);
  }
}

/**
 * Apex's reserved keywords (Apex Developer Guide, "Reserved Keywords"). The parser is more lenient than the platform
 * compiler here, so a variable or parameter named `currency` parses but does not deploy: the check below catches it.
 */
const RESERVED = new Set(
  (
    "abstract activate and any array as asc autonomous begin bigdecimal blob boolean break bulk by byte case cast " +
    "catch char class collect commit const continue currency date datetime decimal default delete desc do double " +
    "else end enum exception exit export extends false final finally float for from global goto group having hint " +
    "if implements import in inner insert instanceof int integer interface into join like limit list long loop map " +
    "merge new not null nulls number object of on or outer override package parallel pragma private protected " +
    "public retrieve return rollback select set short sobject sort static string super switch synchronized system " +
    "testmethod then this throw time transaction trigger true try undelete update upsert using virtual void " +
    "webservice when where while"
  ).split(" "),
);

/** Names declared as variables, fields or parameters that Apex reserves. */
class ReservedNameListener extends ApexParserBaseListener {
  found = [];

  check(ctx) {
    const name = ctx.id()?.getText();
    if (name && RESERVED.has(name.toLowerCase())) this.found.push(`${ctx.start.line}: "${name}" is reserved in Apex`);
  }

  enterVariableDeclarator(ctx) {
    this.check(ctx);
  }

  enterFormalParameter(ctx) {
    this.check(ctx);
  }
}

/** Lexes and parses one class, answering every syntax error the lexer or the parser reported. */
function apexSyntaxErrors(source) {
  const listener = new CollectingListener();
  const lexer = new ApexLexer(new CaseInsensitiveInputStream(source));
  lexer.removeErrorListeners();
  lexer.addErrorListener(listener);
  const parser = new ApexParser(ApexParserFactory.createTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(listener);
  const unit = parser.compilationUnit();
  if (listener.errors.length > 0) return listener.errors;
  const reserved = new ReservedNameListener();
  ApexParseTreeWalker.DEFAULT.walk(reserved, unit);
  return reserved.found;
}

/**
 * A small well-formedness check, no dependency: one XML declaration first, then elements that open and close in
 * order, one root, nothing but whitespace outside it, and only the five predefined entities or character references.
 */
function xmlProblems(text) {
  const problems = [];
  let body = text.replace(/^\uFEFF/, "");
  if (!/^<\?xml version="1\.0" encoding="UTF-8"\?>/.test(body))
    problems.push("does not start with the XML declaration");
  body = body.replace(/^<\?xml[^?]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let match = token.exec(body); match !== null; match = token.exec(body)) {
    const [, closing, name, , selfClosing, textRun, strayBracket] = match;
    if (strayBracket) {
      problems.push(`a "<" that opens no tag near offset ${match.index}`);
      break;
    }
    if (textRun !== undefined) {
      if (stack.length === 0 && textRun.trim() !== "") problems.push(`text outside the root: ${textRun.trim()}`);
      const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(textRun);
      if (badEntity) problems.push(`an unescaped "&" near offset ${match.index + badEntity.index}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`never closed: <${stack.join("> <")}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The Salesforce column of CARD_API.md's write-back table: API name and the type as the table writes it. */
function writeBackFields() {
  const markdown = readFileSync(cardApi, "utf8");
  const section = markdown.slice(markdown.indexOf("## Write-back fields"));
  const fields = [];
  for (const match of section.matchAll(/^\|[^|]*\|\s*`(\w+__c)`\s*\(([^)]*)\)\s*\|/gm)) {
    fields.push({ name: match[1], type: match[2].trim() });
  }
  return fields;
}

function element(xml, name) {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

describe("Apex", () => {
  const classes = filesUnder(forceApp, (name) => name.endsWith(".cls") || name.endsWith(".trigger"));

  it("has the controller and its test class", () => {
    const names = classes.map((path) => relative(forceApp, path));
    assert.ok(names.includes("main/default/classes/ReckonCardController.cls"), names.join(", "));
    assert.ok(names.includes("main/default/classes/ReckonCardControllerTest.cls"), names.join(", "));
  });

  for (const path of classes) {
    it(`${relative(projectRoot, path)} parses without syntax errors or reserved names`, () => {
      assert.deepEqual(apexSyntaxErrors(readFileSync(path, "utf8")), []);
    });

    it(`${relative(projectRoot, path)} has its -meta.xml`, () => {
      assert.ok(readdirSync(dirname(path)).includes(`${path.split("/").pop()}-meta.xml`));
    });
  }

  it("the check itself notices a syntax error", () => {
    assert.notDeepEqual(apexSyntaxErrors("public class Broken { void f() { Integer x = ; } }"), []);
    assert.notDeepEqual(apexSyntaxErrors("public class Unclosed {"), []);
    assert.deepEqual(apexSyntaxErrors("public class Fine { void f(String currencyCode) { Integer n = 1; } }"), []);
    assert.deepEqual(apexSyntaxErrors("public class Reserved { void f(String currency) {} }"), [
      '1: "currency" is reserved in Apex',
    ]);
    assert.deepEqual(apexSyntaxErrors("public class Reserved { void f() { Integer number = 1; } }"), [
      '1: "number" is reserved in Apex',
    ]);
  });
});

describe("metadata XML", () => {
  const metadata = filesUnder(forceApp, (name) => name.endsWith("-meta.xml"));

  it("is there", () => {
    assert.ok(metadata.length >= 15, `${metadata.length} metadata files`);
  });

  for (const path of metadata) {
    it(`${relative(projectRoot, path)} is well-formed`, () => {
      assert.deepEqual(xmlProblems(readFileSync(path, "utf8")), []);
    });
  }

  it("the check itself notices malformed XML", () => {
    const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
    assert.deepEqual(xmlProblems(`${declaration}<a><b>x</b></a>`), []);
    assert.notDeepEqual(xmlProblems(`${declaration}<a><b>x</a></b>`), []);
    assert.notDeepEqual(xmlProblems(`${declaration}<a><b>x</b>`), []);
    assert.notDeepEqual(xmlProblems(`${declaration}<a>Tom & Jerry</a>`), []);
    assert.notDeepEqual(xmlProblems(`${declaration}<a></a><b></b>`), []);
    assert.notDeepEqual(xmlProblems("<a></a>"), []);
  });
});

describe("write-back fields (CARD_API.md)", () => {
  const fields = writeBackFields();
  const fieldDir = join(forceApp, "main", "default", "objects", "Account", "fields");

  it("reads all nine rows of the table", () => {
    assert.equal(fields.length, 9, fields.map((field) => field.name).join(", "));
  });

  for (const { name, type } of fields) {
    it(`${name} (${type}) has a field file of that type`, () => {
      const xml = readFileSync(join(fieldDir, `${name}.field-meta.xml`), "utf8");
      assert.equal(element(xml, "fullName"), name);
      const text = /^Text (\d+)/.exec(type);
      const number = /^Number (\d+),(\d+)/.exec(type);
      if (text) {
        assert.equal(element(xml, "type"), "Text");
        assert.equal(element(xml, "length"), text[1]);
        assert.equal(element(xml, "externalId"), /External ID/i.test(type) ? "true" : "false");
        assert.equal(element(xml, "unique"), /\bunique\b/i.test(type) ? "true" : "false");
      } else if (number) {
        assert.equal(element(xml, "type"), "Number");
        assert.equal(element(xml, "precision"), number[1]);
        assert.equal(element(xml, "scale"), number[2]);
      } else if (type === "DateTime") {
        assert.equal(element(xml, "type"), "DateTime");
      } else if (type === "URL") {
        assert.equal(element(xml, "type"), "Url");
      } else {
        assert.fail(`the check does not know the type "${type}"`);
      }
    });
  }

  it("every Reckon field is readable by card users and editable by the integration user", () => {
    const sets = join(forceApp, "main", "default", "permissionsets");
    const card = readFileSync(join(sets, "Reckon_Card_User.permissionset-meta.xml"), "utf8");
    const integration = readFileSync(join(sets, "Reckon_Integration.permissionset-meta.xml"), "utf8");
    for (const { name } of fields) {
      const grant = (xml) =>
        new RegExp(
          `<fieldPermissions>\\s*<editable>(true|false)</editable>\\s*<field>Account\\.${name}</field>\\s*<readable>true</readable>`,
        ).exec(xml)?.[1];
      assert.equal(grant(card), "false", `Reckon_Card_User reads ${name}`);
      assert.equal(grant(integration), "true", `Reckon_Integration edits ${name}`);
    }
  });
});
