/**
 * The dashboard's script, plain browser JavaScript (no build step, no framework): it
 * polls the control API every two seconds and keeps the event stream open for live
 * events. Everything from the node is written as text (textContent), never as HTML:
 * event bodies carry data from other nodes.
 */
export const DASHBOARD_JS = String.raw`"use strict";
(function () {
  var KEY = "anode.token";
  var $ = function (id) { return document.getElementById(id); };
  var token = sessionStorage.getItem(KEY);
  var timer = null, socket = null, recentTxs = [], events = [];

  function api(path) {
    return fetch(path, { headers: { authorization: "Bearer " + token } }).then(function (res) {
      return res.json().then(function (body) { return { status: res.status, body: body }; });
    });
  }
  function row(table, cells, header) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) {
      var td = document.createElement(header ? "th" : "td");
      if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined || c === null ? "" : String(c);
      tr.appendChild(td);
    });
    table.appendChild(tr);
    return tr;
  }
  function fill(id, header, rows) {
    var t = $(id);
    t.textContent = "";
    row(t, header, true);
    rows.forEach(function (r) { row(t, r); });
  }
  function short(id) { return id ? String(id).slice(0, 12) : ""; }
  function ago(ms) {
    if (!ms) return "never";
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    return s < 120 ? s + " s ago" : Math.round(s / 60) + " min ago";
  }
  function bytes(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MiB";
    if (n >= 1024) return (n / 1024).toFixed(1) + " KiB";
    return n + " B";
  }

  function showLogin(message) {
    stop();
    $("app").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("token").focus();
  }
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    if (socket) socket.close();
    socket = null;
  }

  function render(status, peers, chain, upgrade) {
    var s = status.body;
    $("headline").textContent = "node " + short(s.nodeId) + " · " + s.networkId;
    var app = s.app || {};
    fill("node-table", ["", ""], [
      ["node id", s.nodeId],
      ["version", s.version],
      ["app release", (app.version || s.version) + (app.why ? " (" + app.why + ")" : "")],
      ["uptime", Math.round((Date.now() - s.startedAt) / 1000) + " s"],
      ["p2p", s.p2pListen],
      ["data directory", s.dataDir],
      ["height", s.storage && s.storage.height],
      ["state root", s.storage && short(s.storage.root)],
      ["restarts", s.restarts],
    ]);
    var restarts = s.restartsByChild || {};
    fill("engines-table", ["engine", "version", "status", "mailbox", "restarts"], s.engines.map(function (e) {
      // Filter agents are named by their whole filter chain: shortened, whole on hover.
      var name = document.createElement("span");
      name.textContent = e.name.length > 30 ? e.name.slice(0, 29) + "…" : e.name;
      name.title = e.name;
      return [name, e.version, e.status, e.mailbox, restarts[e.name] || 0];
    }));
    var m = s.mempool || {};
    $("mempool-body").textContent = "pending " + m.pending + " · in flight " + m.inFlight +
      " · accepted " + m.accepted + " · committed " + m.committed + " · rejected " + m.rejected;
    fill("txs-table", ["transaction", "height", "result"], recentTxs.map(function (t) {
      return [t.id, t.height, t.ok ? "ok" : t.error || "failed"];
    }));
    if (peers.status === 200) {
      fill("peers-table", ["peer", "address", "direction", "latency", "in", "out"], peers.body.peers.map(function (p) {
        return [short(p.id), p.address, p.direction, p.latencyMs === undefined ? "" : p.latencyMs.toFixed(1) + " ms", bytes(p.bytesIn), bytes(p.bytesOut)];
      }));
    }
    var cb = $("chain-body");
    if (chain.status === 200) {
      var c = chain.body;
      cb.textContent = "";
      var t = document.createElement("table");
      cb.appendChild(t);
      row(t, ["chain", c.chainId]);
      row(t, ["height / round / step", c.height + " / " + c.round + " / " + c.step]);
      row(t, ["committed", c.committedHeight]);
      row(t, ["proposer", short(c.proposer)]);
      row(t, ["signing", c.signing]);
      if (c.halted) row(t, ["halted", c.halted]).className = "bad";
      if (c.alarm) row(t, ["alarm", c.alarm]).className = "bad";
      var v = document.createElement("table");
      cb.appendChild(v);
      row(v, ["validator", "power", "last heard from"], true);
      c.validators.forEach(function (x) { row(v, [short(x.id), x.power, ago(x.lastSeen)]); });
    }
    if (upgrade.status === 200) {
      var u = upgrade.body;
      $("upgrade-body").textContent = "running " + u.running + " · policy " + u.policy + " · channel " + u.channel +
        (u.trial ? " · in health window for " + Math.round(u.trial.sinceMs / 1000) + " s" : "");
      fill("releases-table", ["release", "state", "download", ""], u.releases.map(function (r) {
        var bar = document.createElement("progress");
        bar.max = r.bytes.total || 1;
        bar.value = r.bytes.have;
        var pct = r.bytes.total ? Math.floor((100 * r.bytes.have) / r.bytes.total) : 100;
        var label = document.createElement("span");
        label.className = "release-progress";
        label.dataset.version = r.version;
        label.textContent = " " + pct + " %";
        var cell = document.createElement("span");
        cell.appendChild(bar);
        cell.appendChild(label);
        return [r.version, r.status + (r.note ? " (" + r.note + ")" : ""), cell, bytes(r.bytes.have) + " of " + bytes(r.bytes.total)];
      }));
    }
  }

  function refresh() {
    Promise.all([api("/v1/status"), api("/v1/peers"), api("/v1/chain"), api("/v1/upgrade/status")]).then(function (r) {
      if (r[0].status === 401) return showLogin("The token was refused.");
      render(r[0], r[1], r[2], r[3]);
    }, function (err) { $("live").textContent = "cannot reach the node: " + err.message; });
  }

  function listen() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/events";
    socket = new WebSocket(url, ["anode.events.v1", "anode.bearer." + token]);
    socket.onopen = function () { $("live").textContent = "live"; $("live").className = "ok"; };
    socket.onclose = function () {
      $("live").textContent = "event stream closed";
      $("live").className = "bad";
      if (token && timer) setTimeout(function () { if (token && timer) listen(); }, 2000);
    };
    socket.onmessage = function (e) {
      var ev;
      try { ev = JSON.parse(e.data); } catch (_) { return; }
      if (ev.topic === "tx.committed" && ev.body) {
        recentTxs.unshift(ev.body);
        recentTxs = recentTxs.slice(0, 20);
      }
      events.unshift(ev);
      events = events.slice(0, 30);
      fill("events-table", ["time", "topic", "body"], events.map(function (x) {
        return [new Date(x.time || Date.now()).toLocaleTimeString(), x.topic, JSON.stringify(x.body).slice(0, 160)];
      }));
    };
  }

  function start() {
    api("/v1/status").then(function (r) {
      if (r.status === 401) {
        sessionStorage.removeItem(KEY);
        token = null;
        return showLogin("The token was refused: check the api.token file of this node's data directory.");
      }
      $("login").hidden = true;
      $("app").hidden = false;
      refresh();
      timer = setInterval(refresh, 2000);
      listen();
    }, function (err) { showLogin("Cannot reach the node: " + err.message); });
  }

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    token = $("token").value.trim();
    sessionStorage.setItem(KEY, token);
    start();
  });
  $("logout").addEventListener("click", function () {
    sessionStorage.removeItem(KEY);
    token = null;
    showLogin("");
  });
  if (token) start(); else showLogin("");
})();
`;
