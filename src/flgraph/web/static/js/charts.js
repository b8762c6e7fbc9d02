/* flgraph charts: ECharts views of query results, data read from JSON blocks in the
   page (no inline script, no network but this site). */
(function () {
  "use strict";
  const STATIC = "/static/";

  function readJson(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function column(data, name) {
    const i = data.columns.indexOf(name);
    return data.rows.map(r => (i < 0 ? null : r[i]));
  }

  function make(el) {
    const chart = echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", () => chart.resize());
    return chart;
  }

  function bar(el, data, options) {
    /* One bar per category: rows that repeat a category (Table 1 has a row per member
       State listed in a column) carry the same value, so the first one stands for all. */
    const all = column(data, options.x);
    const first = all.map((v, i) => all.indexOf(v) === i);
    const x = all.filter((v, i) => first[i]);
    const series = (options.series || []).map(name => ({
      name: name, type: "bar",
      data: column(data, name).filter((v, i) => first[i]).map(v => (v === null ? null : Number(v))),
    }));
    make(el).setOption({
      tooltip: { trigger: "axis" }, legend: {},
      grid: { containLabel: true, left: 10, right: 10 },
      xAxis: { type: "category", data: x, axisLabel: { interval: 0, rotate: x.length > 4 ? 20 : 0 } },
      yAxis: { type: "value", minInterval: 1 }, series: series,
    });
  }

  function matrix(el, data, options) {
    const xs = [...new Set(column(data, options.x))].sort();
    const ys = [...new Set(column(data, options.y))].sort();
    const xcol = column(data, options.x), ycol = column(data, options.y);
    const values = column(data, options.value);
    const hrefs = options.href ? column(data, options.href) : [];
    const points = xcol.map((x, i) => [xs.indexOf(x), ys.indexOf(ycol[i]), Number(values[i] || 1)]);
    const chart = make(el);
    follow(chart, p => hrefs[p.dataIndex]);
    chart.setOption({
      tooltip: { formatter: p => xs[p.value[0]] + " — " + ys[p.value[1]] },
      grid: { containLabel: true, left: 10, right: 10, top: 10 },
      xAxis: { type: "category", data: xs, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "category", data: ys },
      visualMap: { show: false, min: 0, max: 1, inRange: { color: ["#eef2f8", "#1f5fbf"] } },
      series: [{ type: "heatmap", data: points, label: { show: true, formatter: "✓" } }],
    });
  }

  function follow(chart, hrefOf) {
    /* A click on a cell or a country opens its page (the table beside the chart has the
       same links for keyboards and screen readers). */
    chart.on("click", p => {
      const href = hrefOf(p);
      if (href && href.startsWith("/")) window.location.assign(href);
    });
  }

  function fixAntimeridian(fc) {
    /* Rings crossing ±180° would be drawn as stripes across the map. */
    const fixRing = ring => {
      if (!ring.some((p, i) => i && Math.abs(p[0] - ring[i - 1][0]) > 180)) return ring;
      const east = ring.filter(p => p[0] > 0).length >= ring.length / 2;
      return ring.map(([x, y]) => [east && x < 0 ? x + 360 : !east && x > 0 ? x - 360 : x, y]);
    };
    fc.features = fc.features.filter(f => f.id !== "010");  // Antarctica
    for (const f of fc.features) {
      const g = f.geometry;
      if (g && g.type === "Polygon") g.coordinates = g.coordinates.map(fixRing);
      else if (g && g.type === "MultiPolygon") g.coordinates = g.coordinates.map(p => p.map(fixRing));
    }
    return fc;
  }

  let worldLoaded = null;
  function loadWorld() {
    if (!worldLoaded) {
      worldLoaded = fetch(STATIC + "vendor/world-atlas/countries-110m.json")
        .then(r => r.json())
        .then(topo => {
          const fc = topojson.feature(topo, topo.objects.countries);
          fc.features.forEach(f => { f.properties.m49 = f.id || "name:" + f.properties.name; });
          echarts.registerMap("world", fixAntimeridian(fc));
        });
    }
    return worldLoaded;
  }

  function map(el, data, options) {
    const codes = column(data, options.m49), labels = column(data, options.label);
    const values = options.value ? column(data, options.value).map(Number) : codes.map(() => 1);
    const hrefs = options.href ? column(data, options.href) : codes.map(() => null);
    const byCode = {};
    codes.forEach((c, i) => { byCode[c] = { name: c, value: values[i], label: labels[i], href: hrefs[i] }; });
    loadWorld().then(() => {
      const chart = make(el);
      follow(chart, p => (p.data ? p.data.href : null));
      chart.setOption({
        /* only the countries with data say anything: no "undefined" for the others */
        tooltip: { formatter: p => (p.data ? p.data.label + (options.value ? ": " + p.data.value + " " + (options.unit || "") : "") : "") },
        visualMap: { show: true, min: 0, max: Math.max(1, ...values), left: 10, bottom: 10,
                     text: [options.legend || "more", "fewer"], calculable: false,
                     inRange: { color: ["#9ec3f0", "#1f5fbf"] } },
        /* no zoom or pan: the mouse wheel scrolls the page, as a reader expects */
        series: [{ type: "map", map: "world", nameProperty: "m49", roam: false,
                   itemStyle: { areaColor: "#eef2f8", borderColor: "#b8c2d3" },
                   emphasis: { label: { show: false } }, data: Object.values(byCode) }],
      });
    });
  }

  function timeline(el, data, options) {
    const labels = column(data, options.label), starts = column(data, options.start),
          ends = column(data, options.end);
    const toDate = (v, end) => {
      const parts = v.split("-").map(Number);
      if (parts.length === 1) return end ? Date.UTC(parts[0], 11, 31) : Date.UTC(parts[0], 0, 1);
      if (parts.length === 2) return end ? Date.UTC(parts[0], parts[1], 0) : Date.UTC(parts[0], parts[1] - 1, 1);
      return Date.UTC(parts[0], parts[1] - 1, parts[2]);
    };
    const names = labels.map((l, i) => l + " (" + (i + 1) + ")");
    make(el).setOption({
      tooltip: { formatter: p => labels[p.dataIndex] + ": " + starts[p.dataIndex] + " – " + ends[p.dataIndex] },
      grid: { containLabel: true, left: 10, right: 20 },
      xAxis: { type: "time" }, yAxis: { type: "category", data: names, inverse: true },
      series: [{
        type: "custom", encode: { x: [0, 1], y: 2 },
        data: names.map((n, i) => [toDate(starts[i], false), toDate(ends[i], true), i]),
        renderItem: (params, api) => {
          const a = api.coord([api.value(0), api.value(2)]), b = api.coord([api.value(1), api.value(2)]);
          const h = api.size([0, 1])[1] * 0.5;
          return { type: "rect", shape: { x: a[0], y: a[1] - h / 2, width: Math.max(3, b[0] - a[0]), height: h },
                   style: { fill: "#1f5fbf" } };
        },
      }],
    });
  }

  const VIEWS = { bar: bar, map: map, matrix: matrix, timeline: timeline };

  function queryChart() {
    const data = readJson("chart-data"), el = document.getElementById("chart");
    if (data && el && VIEWS[data.view]) VIEWS[data.view](el, data, data.options || {});
  }

  function overview() {
    const data = readJson("overview-data");
    if (!data) return;
    matrix(document.getElementById("chart-matrix"), data.matrix,
           { x: "countryName", y: "typologyLabel", value: "listings", href: "listingHref" });
    bar(document.getElementById("chart-regions"), data.regions,
        { x: "regionLabel", series: ["target", "reported", "listed"] });
    const countries = { columns: ["m49", "countryName", "typologies", "href"], rows: [] };
    const seen = {};
    const names = column(data.matrix, "countryName"), links = column(data.matrix, "countryHref");
    column(data.matrix, "m49").forEach((m, i) => {
      seen[m] = seen[m] || { name: names[i], href: links[i], n: 0 };
      seen[m].n += 1;
    });
    Object.entries(seen).forEach(([m, v]) => countries.rows.push([m, v.name, v.n, v.href]));
    map(document.getElementById("chart-map"), countries,
        { m49: "m49", label: "countryName", value: "typologies", href: "href",
          unit: "typologies", legend: "typologies listed" });
  }

  document.addEventListener("DOMContentLoaded", () => { queryChart(); overview(); });
})();
