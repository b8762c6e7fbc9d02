#!/usr/bin/env node
// Licence helpers for tools/vendor/update.sh. Output is deterministic
// (depends only on the installed node_modules tree).
//
//   node licenses.js yasgui-license NODE_MODULES
//       MIT licence text for @zazuko/yasgui (the npm package ships none).
//   node licenses.js yasgui-third-party NODE_MODULES
//       Licence texts of the packages bundled inside yasgui.min.js.
"use strict";
const fs = require("fs");
const path = require("path");

const [mode, nm] = process.argv.slice(2);
if (!mode || !nm) {
  console.error("usage: licenses.js yasgui-license|yasgui-third-party NODE_MODULES");
  process.exit(2);
}
const pkgJson = (name) => JSON.parse(fs.readFileSync(path.join(nm, name, "package.json"), "utf8"));
const licenceOf = (pj) =>
  pj.license ||
  (Array.isArray(pj.licenses) ? pj.licenses.map((l) => l.type || l).join(" OR ") : "no licence field in package.json, see the licence file");

const MIT_BODY = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

function yasguiLicense() {
  const pj = pkgJson("@zazuko/yasgui");
  if (pj.license !== "MIT") throw new Error(`@zazuko/yasgui licence is now ${pj.license}: review by hand`);
  const holders = [pj.author, ...(pj.contributors || [])]
    .map((p) => (typeof p === "string" ? p : p.name))
    .map((s) => s.replace(/\s*<[^>]*>/, ""));
  process.stdout.write(
    `${pj.name} ${pj.version} (yasgui.min.js, yasgui.min.css)
Licence: MIT, as declared in the package's package.json. The npm package ships
no LICENSE file; this is the standard MIT text with the copyright holders named
there (author and contributors).

MIT License

Copyright (c) ${holders.join(", ")}

${MIT_BODY}`
  );
}

// Packages bundled into yasgui.min.js, read from the source map. The CSS
// bundle has no map; it also contains the DataTables stylesheet
// (datatables.net-dt) and CodeMirror's stylesheet (codemirror, in the JS list).
function bundledPackages() {
  const mapFile = path.join(nm, "@zazuko/yasgui/build/yasgui.min.js.map");
  const map = JSON.parse(fs.readFileSync(mapFile, "utf8"));
  const names = new Set(["datatables.net-dt"]);
  for (const src of map.sources) {
    const i = src.lastIndexOf("node_modules/");
    if (i < 0) continue; // Yasgui's own sources
    const parts = src.slice(i + "node_modules/".length).split("/");
    names.add(parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return [...names].sort();
}

function yasguiThirdParty() {
  const yv = pkgJson("@zazuko/yasgui").version;
  const out = [];
  out.push(`Third-party software bundled in yasgui.min.js / yasgui.min.css (@zazuko/yasgui ${yv})
==========================================================================

The minified bundle does not keep the licence comments of the packages it
contains. The list of bundled packages below is read from the bundle's source
map; each licence text is taken from that package as installed by npm from
tools/vendor/package-lock.json. Upstream built the bundle from its own lock
file, so a bundled copy can be a slightly different version than the one
named here (for example the bundle contains jQuery 3.7.1); the licence terms
are the same.
`);
  for (const name of bundledPackages()) {
    const dir = path.join(nm, name);
    if (!fs.existsSync(dir)) {
      out.push(`\n---------------------------------------------------------------------------\n${name}: not installed, licence not found: review by hand\n`);
      continue;
    }
    const pj = pkgJson(name);
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(f))
      .sort();
    out.push(`\n---------------------------------------------------------------------------\n${name} ${pj.version} -- ${licenceOf(pj)}\n`);
    if (files.length === 0) {
      if (licenceOf(pj) === "MIT") {
        const who = typeof pj.author === "string" ? pj.author : pj.author && pj.author.name;
        out.push(`(no licence file in the package; package.json declares MIT${who ? `, author ${who.replace(/\s*<[^>]*>/, "")}` : ""})\n\n${MIT_BODY}`);
      } else {
        out.push(`(no licence file in the package; package.json declares ${licenceOf(pj)})\n`);
      }
    }
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), "utf8").replace(/\r\n/g, "\n").trimEnd();
      out.push(`\n[${f}]\n\n${text}\n`);
    }
  }
  process.stdout.write(out.join(""));
}

if (mode === "yasgui-license") yasguiLicense();
else if (mode === "yasgui-third-party") yasguiThirdParty();
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
