/* flgraph SPARQL editor: YASGUI locked to this site's /sparql, completing from the graph's
   own prefixes and terms. Everything it needs is in the page's #sparql-data JSON block
   (the CSP forbids inline scripts); it contacts nothing but the endpoint. */
(function () {
  "use strict";

  const DEFAULT_QUERY = [
    "PREFIX flg: <https://w3id.org/flgraph/ontology#>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
    "",
    "# Countries with results under each typology column of Table 1",
    "SELECT ?typology ?country WHERE {",
    "  ?listing a flg:TypologyListing ;",
    "           flg:resultTypology/skos:prefLabel ?typology ;",
    "           flg:country/skos:prefLabel ?country .",
    "}",
    "ORDER BY ?typology ?country",
  ].join("\n");

  function readData() {
    return JSON.parse(document.getElementById("sparql-data").textContent);
  }

  /* Completion from local data only. The offline helper drops the LOV-backed "property"
     and "class" completers; the bundled prefix list (a prefix.cc snapshot) is replaced
     by ours. Forks keep YASQE's own position and IRI handling and change only the word
     list. The defaults array is edited in place: Yasgui merges a config's array into it
     index by index, so a config cannot remove entries. */
  function installCompleters(Yasqe, data) {
    const names = Yasqe.defaults.autocompleters;
    names.splice(0, names.length, "variables");
    const prefixes = Object.keys(data.prefixes).sort()
      .map(p => p + ": <" + data.prefixes[p] + ">");
    Yasqe.forkAutocompleter("prefixes",
      { name: "flgraph-prefixes", get: prefixes, persistenceId: null });
    Yasqe.forkAutocompleter("property",
      { name: "flgraph-properties", get: data.terms.property, bulk: true, persistenceId: null });
    Yasqe.forkAutocompleter("class",
      { name: "flgraph-classes", get: data.terms.class, bulk: true, persistenceId: null });
    return names.slice();
  }

  function create(element, data) {
    const Yasgui = window.Yasgui;
    window.flgraphYasgui.disableNetworkAutocompleters(Yasgui);
    const completers = installCompleters(Yasgui.Yasqe, data);
    const config = window.flgraphYasgui.offlineConfig(data.endpoint);
    config.yasqe.autocompleters = completers;
    config.yasqe.value = DEFAULT_QUERY;
    config.yasr.prefixes = data.prefixes;
    element.classList.add("flgraph-endpoint-locked");
    return new Yasgui(element, config);
  }

  function load(yasgui, text, run, focus) {
    const tab = yasgui.getTab();
    if (!tab) return;
    tab.setQuery(text);
    if (run) tab.getYasqe().query().catch(() => {});
    if (focus) tab.getYasqe().focus();
  }

  /* For keyboards and screen readers: the editor's text area has a name, does not take
     the focus when the page opens, and Esc then Tab leaves it (Tab alone indents, as an
     editor's should); YASGUI's one-tab list is no ARIA tab list without tabs. */
  function makeAccessible(yasgui) {
    const root = document.getElementById("yasgui");
    const yasqe = yasgui.getTab() && yasgui.getTab().getYasqe();
    if (!yasqe) return;
    const input = yasqe.getInputField();
    input.setAttribute("aria-labelledby", "editor-label");
    input.setAttribute("aria-describedby", "editor-keys");
    root.querySelectorAll(".tabsList[role=tablist]").forEach(list => {
      // a tab list holds tabs only: the "add a tab" button goes beside it
      list.querySelectorAll(":scope > [role=presentation]").forEach(item => {
        if (!item.querySelector("[role=tab]")) list.after(item);
      });
    });
    // the editor's scrolling box is reached by keyboard, as a scrolling region must be
    root.querySelectorAll(".CodeMirror-scroll").forEach(box => box.setAttribute("tabindex", "0"));
    yasqe.addKeyMap({ Esc: () => document.getElementById("after-editor").focus() });
    if (root.contains(document.activeElement)) document.activeElement.blur();
  }

  function bindExamples(yasgui, data) {
    const byName = new Map(data.examples.map(e => [e.name, e]));
    document.querySelectorAll("button[data-example]").forEach(button => {
      button.addEventListener("click", () => {
        const example = byName.get(button.dataset.example);
        if (!example) return;
        load(yasgui, example.text, false, true);
        document.getElementById("yasgui").scrollIntoView({ behavior: "smooth" });
      });
    });
  }

  /* A share link (YASGUI's: /sparql#query=…&endpoint=…) opens its query in a fresh
     browser; the endpoint in it is ignored, as every query goes to this site. */
  function sharedQuery() {
    const shared = new URLSearchParams(window.location.hash.slice(1)).get("query");
    return shared && shared.trim() ? shared : null;
  }

  /* When a query answers nothing and names a class or property this dataset does not
     use, say so, with the closest terms it does use (by edit distance). */
  function distance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  function declaredPrefixes(text, data) {
    const found = Object.assign({}, data.prefixes);
    for (const m of text.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gi)) found[m[1] || ""] = m[2];
    return found;
  }

  function unknownTerms(text, data) {
    const known = [...data.terms.class, ...data.terms.property];
    const used = new Set(known);
    const prefixes = declaredPrefixes(text, data);
    const body = text.replace(/^\s*PREFIX[^\n]*$/gim, "").replace(/#[^\n]*/g, "")
      .replace(/<[^>\s]*>/g, " ").replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ");
    const notes = [];
    for (const m of new Set(Array.from(body.matchAll(/(?:^|[\s;,.(\/|^{}])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)/g), x => (x[1] || "") + ":" + x[2]))) {
      const [prefix, local] = [m.slice(0, m.indexOf(":")), m.slice(m.indexOf(":") + 1)];
      const space = prefixes[prefix];
      if (!space || used.has(space + local)) continue;
      // classes are named in capitals, properties not: suggest the same kind of term
      const kind = /^[A-Z]/.test(local) ? data.terms.class : data.terms.property;
      const near = kind.filter(t => t.startsWith(space))
        .map(t => [distance(local, t.slice(space.length)), prefix + ":" + t.slice(space.length)])
        .filter(([d]) => d <= Math.max(2, local.length / 3)).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
        .slice(0, 3).map(([, name]) => name);
      notes.push(m + " is not used in this dataset" +
                 (near.length ? "; did you mean " + near.join(" or ") + "?" : "."));
    }
    return notes;
  }

  function explainEmpty(yasgui, data) {
    const hint = document.getElementById("editor-hint");
    yasgui.on("query", () => { hint.textContent = ""; });
    yasgui.on("queryResponse", (_, tab) => {
      // the results are read once YASR has taken them, after this event
      window.setTimeout(() => {
        let bindings = null;
        try { bindings = tab.getYasr().results.getBindings(); } catch (e) { return; }
        if (!bindings || bindings.length) return;
        hint.textContent = unknownTerms(tab.getQuery(), data).join(" ");
      }, 0);
    });
  }

  const data = readData();
  const yasgui = create(document.getElementById("yasgui"), data);
  const shared = sharedQuery();
  if (shared) load(yasgui, shared, false, false);
  else if (data.query) load(yasgui, data.query, data.run, false);
  explainEmpty(yasgui, data);
  makeAccessible(yasgui);
  bindExamples(yasgui, data);
  window.flgraphEditor = yasgui; // for the console and the browser tests
})();
