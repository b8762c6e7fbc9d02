/*
 * Offline YASGUI set-up for flgraph (see yasgui-offline.md for the reasons).
 *
 * Load after vendor/yasgui/yasgui.min.js (and vendor/yasgui/yasgui.min.css):
 *
 *   <link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">
 *   <script src="/static/vendor/yasgui/yasgui.min.js"></script>
 *   <script src="/static/vendor/yasgui-offline-example.js"></script>
 *   <script>
 *     const yasgui = flgraphYasgui.create(document.getElementById("yasgui"),
 *                                         "/sparql");   // relative URL is fine
 *   </script>
 *
 * With this configuration the page contacts nothing but `endpoint` (checked in
 * headless Chromium against @zazuko/yasgui 4.6.2). Plain ES2017, no modules,
 * exposes one global: `flgraphYasgui`.
 */
(function (global) {
  "use strict";

  // Autocompleters that work from local data only. The other two built-ins,
  // "property" and "class", query the Linked Open Vocabularies web API.
  var LOCAL_AUTOCOMPLETERS = ["variables", "prefixes"];

  /** Absolute URL for `endpoint` (a relative one is resolved against the page). */
  function absoluteEndpoint(endpoint) {
    return new URL(endpoint, global.location.href).href;
  }

  /**
   * Yasgui configuration object that confines all network use to `endpoint`.
   * `options.lockEndpoint` (default true): every query goes to `endpoint`
   * whatever is typed in the endpoint field, picked from its history, stored in
   * localStorage or passed in a shared link.
   * `options.persistenceId`: localStorage key prefix (null: keep nothing).
   */
  function offlineConfig(endpoint, options) {
    options = options || {};
    var url = absoluteEndpoint(endpoint);
    var lock = options.lockEndpoint !== false;
    return {
      requestConfig: {
        // A function is evaluated for every query and overrides the tab's own
        // (persisted / typed) endpoint; a string is only the default for new tabs.
        endpoint: lock ? function () { return url; } : url,
        method: "POST",
      },
      // New tabs start from requestConfig.endpoint, not from the current tab.
      copyEndpointOnNewTab: false,
      // The endpoint drop-down offers only our endpoint (default: dbpedia, wikidata).
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: url }]; },
        keys: [],
      },
      // Do not take endpoint/query from ?endpoint=...&query=... in the page URL.
      populateFromUrl: false,
      // No CORS proxy (with one set, Yasgui sends an ASK probe to each endpoint).
      corsProxy: undefined,
      // Keep tabs in localStorage, but under a key tied to this endpoint so tabs
      // saved for another endpoint are never reloaded.
      persistenceId: options.persistenceId === undefined ? "flgraph_" + url : options.persistenceId,
      yasqe: {
        prefixCcApi: null,        // prefix autocompletion from the bundled list only
        createShortLink: undefined, // no URL-shortener button
        // NB: Yasgui deep-merges this array into the default one index by
        // index, so it cannot remove entries; create() below also filters
        // Yasgui.Yasqe.defaults.autocompleters, which is what takes effect.
        autocompleters: LOCAL_AUTOCOMPLETERS.slice(),
      },
      yasr: {
        prefixes: {},             // result-table IRI abbreviation from the query's own PREFIXes
      },
    };
  }

  /** Remove the network-backed autocompleters from the global Yasqe defaults. */
  function disableNetworkAutocompleters(Yasgui) {
    var list = Yasgui.Yasqe.defaults.autocompleters;
    for (var i = list.length - 1; i >= 0; i--) {
      if (LOCAL_AUTOCOMPLETERS.indexOf(list[i]) < 0) list.splice(i, 1);
    }
    // Yasgui.defaults.yasqe is the same object as Yasqe.defaults; be explicit anyway.
    if (Yasgui.defaults.yasqe && Yasgui.defaults.yasqe.autocompleters !== list) {
      Yasgui.defaults.yasqe.autocompleters = list.slice();
    }
  }

  var LOCKED_CLASS = "flgraph-endpoint-locked";

  /** Hide the endpoint field (it would be misleading when the endpoint is locked). */
  function hideEndpointField(element) {
    if (!document.getElementById("flgraph-yasgui-offline-style")) {
      var style = document.createElement("style");
      style.id = "flgraph-yasgui-offline-style";
      style.textContent =
        "." + LOCKED_CLASS + " .controlbar .autocompleteWrapper," +
        "." + LOCKED_CLASS + " .controlbar .clearEndpointBtn{display:none}";
      document.head.appendChild(style);
    }
    element.classList.add(LOCKED_CLASS);
  }

  /**
   * Create a Yasgui on `element` that talks only to `endpoint`.
   * options: lockEndpoint (default true), persistenceId (see offlineConfig),
   * hideEndpointField (default: same as lockEndpoint).
   */
  function create(element, endpoint, options) {
    options = options || {};
    var Yasgui = global.Yasgui;
    if (!Yasgui) throw new Error("yasgui.min.js must be loaded before yasgui-offline-example.js");
    disableNetworkAutocompleters(Yasgui);
    var locked = options.lockEndpoint !== false;
    var hide = options.hideEndpointField === undefined ? locked : options.hideEndpointField;
    if (hide) hideEndpointField(element);
    return new Yasgui(element, offlineConfig(endpoint, options));
  }

  global.flgraphYasgui = {
    create: create,
    offlineConfig: offlineConfig,
    disableNetworkAutocompleters: disableNetworkAutocompleters,
  };
})(window);
