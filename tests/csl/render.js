// Render CSL-JSON items with citeproc-js (the processor Zotero uses) and a CSL style.
// Usage: node render.js STYLE.csl LOCALE.xml < items.json > entries.json
// Output: {"<item id>": "<bibliography entry as citeproc-js's HTML>"} for every item.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [styleFile, localeFile] = process.argv.slice(2);
const style = fs.readFileSync(styleFile, "utf8");
const locale = fs.readFileSync(localeFile, "utf8");
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [item.id, item]));

const result = {};
for (const item of items) {
  // One engine per item: every entry is formatted alone, as on its talk page
  // (no year-suffix disambiguation across items).
  const engine = new CSL.Engine(
    { retrieveLocale: () => locale, retrieveItem: (id) => byId[id] },
    style,
    "en-US",
    true,
  );
  engine.updateItems([item.id]);
  const [, entries] = engine.makeBibliography();
  result[item.id] = entries[0].trim();
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
