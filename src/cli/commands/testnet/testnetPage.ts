/**
 * The testnet view: one row per node, refreshed every second from the local server
 * (`anode testnet dashboard`), which holds the nodes' tokens; the page holds none. Text
 * only (textContent): what nodes say is not markup.
 */
export const TESTNET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>anode testnet</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 10px 18px; }
  header h1 { font-size: 18px; margin: 0; display: inline; }
  main { padding: 14px 18px; }
  table { border-collapse: collapse; background: #fff; border: 1px solid #dde1e8; }
  td, th { text-align: left; padding: 4px 12px; border-bottom: 1px solid #eef0f4; font-variant-numeric: tabular-nums; }
  th { font-weight: 600; color: #555; }
  .bad { color: #b3261e; font-weight: 600; }
  progress { width: 110px; vertical-align: middle; }
</style>
</head>
<body>
<header><h1>anode testnet</h1> <span id="summary"></span></header>
<main><table id="nodes"></table></main>
<script src="/testnet.js"></script>
</body>
</html>
`;

export const TESTNET_JS = `"use strict";
(function () {
  var table = document.getElementById("nodes");
  function cell(tr, value, className) {
    var td = document.createElement("td");
    if (value instanceof Node) td.appendChild(value); else td.textContent = value === undefined ? "" : String(value);
    if (className) td.className = className;
    tr.appendChild(td);
  }
  function render(data) {
    var versions = [];
    data.nodes.forEach(function (n) {
      ((n.upgrade && n.upgrade.releases) || []).forEach(function (r) {
        if (versions.indexOf(r.version) < 0) versions.push(r.version);
      });
    });
    table.textContent = "";
    var head = document.createElement("tr");
    ["node", "id", "running", "height", "chain", "peers"].concat(versions.map(function (v) { return "release " + v; })).forEach(function (h) {
      var th = document.createElement("th"); th.textContent = h; head.appendChild(th);
    });
    table.appendChild(head);
    var done = {};
    data.nodes.forEach(function (n) {
      var tr = document.createElement("tr");
      tr.dataset.node = n.index;
      cell(tr, n.index);
      cell(tr, n.id.slice(0, 12));
      if (n.error) { cell(tr, "down: " + n.error, "bad"); table.appendChild(tr); return; }
      cell(tr, n.upgrade && n.upgrade.running);
      cell(tr, n.height);
      cell(tr, n.chain ? (n.chain.halted ? n.chain.halted : n.chain.height + " r" + n.chain.round) : "", n.chain && n.chain.halted ? "bad" : "");
      cell(tr, n.peers);
      versions.forEach(function (v) {
        var r = ((n.upgrade && n.upgrade.releases) || []).filter(function (x) { return x.version === v; })[0];
        if (!r) { cell(tr, "—"); return; }
        var box = document.createElement("span");
        var bar = document.createElement("progress"); bar.max = 100; bar.value = r.percent;
        var label = document.createElement("span");
        label.className = "release-progress";
        label.dataset.version = v;
        label.textContent = " " + r.percent + " % " + r.status;
        box.appendChild(bar); box.appendChild(label);
        cell(tr, box);
        if (r.percent === 100) done[v] = (done[v] || 0) + 1;
      });
      table.appendChild(tr);
    });
    document.getElementById("summary").textContent = data.nodes.length + " nodes" +
      versions.map(function (v) { return " · " + v + " on " + (done[v] || 0) + " of " + data.nodes.length; }).join("");
  }
  function refresh() {
    fetch("/api/nodes").then(function (r) { return r.json(); }).then(render, function () {
      document.getElementById("summary").textContent = "the dashboard server stopped";
    });
  }
  refresh();
  setInterval(refresh, 1000);
})();
`;
