/**
 * The dashboard's page: a login form, then the node's panels. No data is in it: the
 * script asks for the API token, keeps it in this tab's sessionStorage only, and sends it
 * with each call (and as a subprotocol on the event stream, which cannot carry headers).
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anode</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 10px 18px; display: flex; gap: 18px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  main { padding: 14px 18px; display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 14px; }
  section { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: 10px 14px; overflow: auto; }
  section h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid #eef0f4; font-variant-numeric: tabular-nums; }
  th { font-weight: 600; color: #555; }
  #txs-table td:first-child, #events-table td:last-child { word-break: break-all; font-family: ui-monospace, monospace; font-size: 12px; }
  .mono { font-family: ui-monospace, monospace; font-size: 12px; }
  .bad { color: #b3261e; font-weight: 600; }
  .ok { color: #1b7f3b; }
  progress { width: 140px; }
  #login { max-width: 420px; margin: 80px auto; background: #fff; padding: 20px; border: 1px solid #dde1e8; border-radius: 6px; }
  #login input { width: 100%; box-sizing: border-box; font: inherit; padding: 6px; margin: 8px 0; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<form id="login" hidden>
  <h1>anode</h1>
  <p>Paste this node's API token (the file <code>api.token</code> in its data directory).
  It stays in this tab only.</p>
  <input id="token" type="password" autocomplete="off" aria-label="API token">
  <button type="submit">Log in</button>
  <p id="login-error" class="bad" role="alert"></p>
</form>
<div id="app" hidden>
  <header><h1>anode</h1><span id="headline"></span><span id="live"></span>
    <button id="logout" type="button">Log out</button></header>
  <main>
    <section id="node"><h2>Node</h2><table id="node-table"></table></section>
    <section id="chain"><h2>Chain</h2><div id="chain-body">no chain: this node cuts its own blocks</div></section>
    <section id="peers"><h2>Peers</h2><table id="peers-table"></table></section>
    <section id="engines"><h2>Engines</h2><table id="engines-table"></table></section>
    <section id="mempool"><h2>Mempool and recent transactions</h2><div id="mempool-body"></div><table id="txs-table"></table></section>
    <section id="upgrades"><h2>Upgrades</h2><div id="upgrade-body"></div><table id="releases-table"></table></section>
    <section id="events"><h2>Live events</h2><table id="events-table"></table></section>
  </main>
</div>
<script src="/dashboard.js"></script>
</body>
</html>
`;
