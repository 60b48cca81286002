/* resilint html report: filters, sorting, cause chains, blast radii and what-if.
 * Reads the JSON block written by checker/render/findings/html.py; computes no failure
 * of its own: chains and what-if links are the failure engine's, read as they are. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("resilint-data").textContent);
  var E = data.entities, T = data.templates, PAGE = 200;
  var SEV = rankOf(data.severities), TIER = rankOf(data.tiers);
  var ST = {}, ST_LABEL = {};
  data.statuses.forEach(function (pair, i) { ST[pair[0]] = i; ST_LABEL[pair[0]] = pair[1]; });
  var COLORS = data.colors, INDEX = new Map();
  E.forEach(function (e, i) { INDEX.set(e[0], i); });

  function rankOf(list) { var r = {}; list.forEach(function (x, i) { r[x] = i; }); return r; }
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function ent(x) { return typeof x === "number" ? E[x][0] : x; }
  function info(x) { return typeof x === "number" ? E[x] : [x, 0, "", -1, null]; }
  function fill(template, trigger) {
    return template === "failed" ? " failed" : " is down: " + template.split("{}").join(trigger);
  }
  function num(n) { return n.toLocaleString("en-US"); }
  function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }

  /* ---- findings ---- */
  var findings = data.findings.map(function (f, i) {
    f.i = i;
    f.causes = f.ch.map(function (link, k) {
      var next = k + 1 < f.ch.length ? ent(f.ch[k + 1][0]) : "";
      return ent(link[0]) + fill(T[link[1]], next);
    });
    f.file = data.files[f.f][0];
    f.hay = [f.r, f.e, f.m, f.o || "", f.file, f.w || ""].concat(f.causes).join("\n").toLowerCase();
    return f;
  });
  /* A filter is null (all) or the exact value; option values carry a leading "=". */
  var state = { sev: null, rule: null, owner: null, file: null, status: null, q: "", key: "status", dir: 1 };
  var filtered = findings, shown = PAGE, expanded = new Set();
  var compare = {
    status: function (a, b) { return ST[a.st] - ST[b.st] || SEV[a.s] - SEV[b.s] || compare.loc(a, b); },
    sev: function (a, b) { return SEV[a.s] - SEV[b.s] || ST[a.st] - ST[b.st] || compare.loc(a, b); },
    rule: function (a, b) { return text(a.r, b.r) || compare.loc(a, b); },
    entity: function (a, b) { return text(a.e, b.e) || text(a.r, b.r); },
    owner: function (a, b) { return text(a.o || "", b.o || "") || compare.loc(a, b); },
    loc: function (a, b) { return text(a.file, b.file) || a.l - b.l || a.c - b.c || SEV[a.s] - SEV[b.s] || text(a.r, b.r); },
    msg: function (a, b) { return text(a.m, b.m) || compare.loc(a, b); }
  };
  function text(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function options(select, values, label) {
    var counts = new Map();
    findings.forEach(function (f) { var v = values(f); counts.set(v, (counts.get(v) || 0) + 1); });
    var keys = Array.from(counts.keys());
    if (select.id === "f-sev") keys.sort(function (a, b) { return SEV[a] - SEV[b]; });
    else if (select.id === "f-status") keys.sort(function (a, b) { return ST[a] - ST[b]; });
    else keys.sort();
    select.innerHTML = '<option value="">all (' + num(findings.length) + ")</option>" + keys.map(function (k) {
      return '<option value="=' + esc(k) + '">' + esc(label(k)) + " (" + num(counts.get(k)) + ")</option>";
    }).join("");
  }
  options($("f-sev"), function (f) { return f.s; }, function (k) { return k; });
  options($("f-status"), function (f) { return f.st; }, function (k) { return ST_LABEL[k]; });
  options($("f-rule"), function (f) { return f.r; }, function (k) { return k; });
  options($("f-owner"), function (f) { return f.o || ""; }, function (k) { return k || "(no owner)"; });
  options($("f-file"), function (f) { return f.file; }, function (k) { return k; });

  function matches(f) {
    return (state.sev === null || f.s === state.sev) && (state.status === null || f.st === state.status) &&
      (state.rule === null || f.r === state.rule) && (state.file === null || f.file === state.file) &&
      (state.owner === null || (f.o || "") === state.owner) && (!state.q || f.hay.indexOf(state.q) >= 0);
  }
  function apply() {
    var order = compare[state.key], dir = state.dir;
    filtered = findings.filter(matches).sort(function (a, b) { return dir * order(a, b) || a.i - b.i; });
    shown = PAGE;
    render();
  }
  function render(focusIndex) {
    var rows = filtered.slice(0, shown).map(rowHtml).join("");
    $("rows").innerHTML = rows || '<tr><td colspan="8" class="note">No finding matches these filters.</td></tr>';
    var visible = Math.min(shown, filtered.length);
    $("count").textContent = "Showing " + num(visible) + " of " + num(filtered.length) + " matching " +
      (filtered.length === 1 ? "finding" : "findings") + " (" + num(findings.length) + " in the report).";
    $("more").hidden = visible >= filtered.length;
    if (focusIndex !== undefined) {
      var again = $("rows").querySelector('button.open[data-i="' + focusIndex + '"]');
      if (again) again.focus();
    }
  }
  function location(f) {
    var where = esc(f.file + ":" + f.l + ":" + f.c), href = data.files[f.f][1];
    return href ? '<a href="' + esc(href.split("{line}").join(String(f.l))) + '">' + where + "</a>" : where;
  }
  function rowHtml(f) {
    var open = expanded.has(f.i);
    var html = '<tr data-i="' + f.i + '"><td><button type="button" class="open" data-i="' + f.i +
      '" aria-expanded="' + open + '" aria-controls="d' + f.i + '" aria-label="' +
      esc((open ? "Hide" : "Show") + " details: " + f.r + " on " + f.e) + '">' + (open ? "▾" : "▸") +
      '</button></td><td><span class="sev ' + esc(f.s) + '">' + esc(f.s.toUpperCase()) + "</span></td>" +
      '<td><span class="st ' + esc(f.st) + '">' + esc(ST_LABEL[f.st]) + "</span></td><td>" + esc(f.r) +
      "</td><td>" + esc(f.e) + "</td><td>" + esc(f.o || "") + '</td><td class="loc">' + location(f) +
      '</td><td class="msg">' + esc(f.m) + "</td></tr>";
    return open ? html + detailHtml(f) : html;
  }
  function detailHtml(f) {
    var rule = data.rules[f.r] || {};
    var html = '<tr class="detail" id="d' + f.i + '"><td colspan="8"><h3>' + esc(rule.t || f.r) + "</h3>";
    html += "<p>" + esc(f.e + ": " + f.m) + "</p>";
    if (f.w) html += "<p><strong>Waived:</strong> " + esc(f.w) + "</p>";
    if (f.causes.length) {
      html += "<p><strong>Cause chain</strong> (from the service back to the failed domain):</p>" +
        '<ol class="chain">' + f.causes.map(function (c) { return "<li>" + esc(c) + "</li>"; }).join("") + "</ol>" +
        "<p><strong>Blast radius</strong></p>" + '<div class="picture">' + blastSvg(f) + "</div>";
    } else {
      html += '<p class="note">No cause chain: this rule does not fail a domain to decide.</p>';
    }
    if (rule.why) html += '<p class="why"><strong>Why it matters:</strong> ' + esc(rule.why) + "</p>";
    if (rule.fix) html += '<p class="why"><strong>Fix:</strong> ' + esc(rule.fix) + "</p>";
    if (rule.refs && rule.refs.length) {
      html += '<p class="why">References: ' + rule.refs.map(function (r) {
        return '<a href="' + esc(r) + '" rel="noopener noreferrer">' + esc(r) + "</a>";
      }).join(" · ") + "</p>";
    }
    return html + '<p class="note">Fingerprint ' + esc(f.fp) + "</p></td></tr>";
  }

  /* ---- the blast radius: the failed domain, the chain it took down, the finding's entity ---- */
  function width(s, size) {
    var ems = 0;
    for (var k = 0; k < s.length; k++) {
      var c = s.charCodeAt(k);
      ems += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
        (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) ? 1.1 : 0.6;
    }
    return Math.round(ems * size);
  }
  function blastSvg(f) {
    var nodes = [];
    for (var k = f.ch.length - 1; k >= 0; k--) {
      var link = f.ch[k], about = info(link[0]), template = T[link[1]];
      nodes.push({ id: about[0], sub: about[2] || (about[1] ? "domain" : "service"), domain: about[1] === 1,
        state: template === "failed" ? "failed" : "down",
        edge: k + 1 < f.ch.length ? template.replace(/ ?\{\}$/, "") : "" });
    }
    if (!nodes.length || nodes[nodes.length - 1].id !== f.e) {
      var target = f.e, index = INDEX.get(target), about2 = index === undefined ? info(target) : E[index];
      nodes.push({ id: target, sub: about2[2] || "", domain: about2[1] === 1, state: "target", edge: "loses an instance" });
    }
    nodes[nodes.length - 1].last = true;
    var x = 10, parts = [], marker = "br" + f.i, y = 26, h = 34, words = { failed: " · failed", down: " · down", target: "" };
    nodes.forEach(function (n, k) {
      var sub = n.sub + words[n.state], w = Math.max(56, width(n.id, 11) + 18, width(sub, 9) + 18);
      if (k) {
        var gap = Math.max(60, width(n.edge, 9) + 28), x0 = x, x1 = x + gap;
        parts.push('<path d="M' + x0 + "," + (y + h / 2) + " L" + (x1 - 2) + "," + (y + h / 2) +
          '" stroke="#444444" stroke-width="1.3" marker-end="url(#' + marker + ')"/>' +
          '<text x="' + (x0 + gap / 2) + '" y="' + (y + h / 2 - 6) + '" font-size="9" text-anchor="middle" fill="#333333">' +
          esc(n.edge) + "</text>");
        x = x1;
      }
      var fillColour = n.state === "failed" ? COLORS.failed[0] : n.state === "down" ? COLORS.down[0] : COLORS.service;
      var line = n.state === "failed" ? COLORS.failed[1] : n.state === "down" ? COLORS.down[1] : "#666666";
      var ink = n.state === "failed" ? "#ffffff" : "#222222";
      var dash = n.state === "down" ? ' stroke-dasharray="5 3"' : "";
      var stroke = n.last ? ' stroke-width="3"' : ' stroke-width="2"';
      parts.push('<g class="node" data-id="' + esc(n.id) + '" data-state="' + n.state + '"><title>' + esc(n.id + " (" + sub + ")") +
        '</title><rect x="' + x + '" y="' + y + '" width="' + w + '" height="' + h + '" rx="' + (n.domain ? 2 : 10) +
        '" fill="' + fillColour + '" stroke="' + (n.last ? "#1f2328" : line) + '"' + stroke + dash + "/>" +
        '<text x="' + (x + w / 2) + '" y="' + (y + 15) + '" font-size="11" text-anchor="middle" fill="' + ink + '">' + esc(n.id) +
        '</text><text x="' + (x + w / 2) + '" y="' + (y + 27) + '" font-size="9" text-anchor="middle" fill="' + ink + '">' +
        esc(sub) + "</text></g>");
      x += w;
    });
    var total = x + 10, label = "Blast radius: " + nodes.map(function (n) { return n.id + " (" + (n.state === "target" ? "this finding" : n.state) + ")"; }).join(", then ");
    return '<svg class="blast" width="' + total + '" height="80" viewBox="0 0 ' + total + ' 80" role="img" aria-label="' +
      esc(label) + '" font-family="Helvetica, Arial, sans-serif"><title>' + esc(label) + "</title><defs>" +
      '<marker id="' + marker + '" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">' +
      '<path d="M0,0 L10,5 L0,10 z" fill="#444444"/></marker></defs>' + parts.join("") +
      '<text x="10" y="74" font-size="9" fill="#555555">arrows: what took what down · red: failed · orange: down with it · dark outline: this finding</text></svg>';
  }

  /* ---- wiring ---- */
  [["f-sev", "sev"], ["f-status", "status"], ["f-rule", "rule"], ["f-owner", "owner"], ["f-file", "file"]].forEach(function (pair) {
    $(pair[0]).addEventListener("change", function (event) {
      var value = event.target.value;
      state[pair[1]] = value === "" ? null : value.slice(1);
      apply();
    });
  });
  $("f-q").addEventListener("input", function (event) { state.q = event.target.value.trim().toLowerCase(); apply(); });
  $("f-reset").addEventListener("click", function () {
    ["f-sev", "f-status", "f-rule", "f-owner", "f-file"].forEach(function (id) { $(id).selectedIndex = 0; });
    $("f-q").value = "";
    state.sev = state.status = state.rule = state.owner = state.file = null;
    state.q = "";
    apply();
  });
  $("more").addEventListener("click", function () { shown += PAGE; render(); });
  $("rows").addEventListener("click", function (event) {
    var button = event.target.closest("button.open");
    if (!button) return;
    var i = Number(button.getAttribute("data-i"));
    if (expanded.has(i)) expanded.delete(i); else expanded.add(i);
    render(i);
  });
  Array.prototype.forEach.call(document.querySelectorAll("th[data-key] button"), function (button) {
    button.addEventListener("click", function () {
      var key = button.parentNode.getAttribute("data-key");
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      Array.prototype.forEach.call(document.querySelectorAll("th[data-key]"), function (th) {
        th.setAttribute("aria-sort", th.getAttribute("data-key") === key ? (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      apply();
    });
  });
  var beforePrint = shown;
  window.addEventListener("beforeprint", function () { beforePrint = shown; shown = filtered.length; render(); });
  window.addEventListener("afterprint", function () { shown = beforePrint; render(); });
  apply();

  /* ---- what-if on the model ---- */
  var pick = $("whatif-domain");
  if (!pick || !data.whatif) return;
  var domainIds = [];
  E.forEach(function (e, i) { if (e[1] === 1) domainIds.push(i); });
  pick.innerHTML = '<option value="">choose a domain…</option>' + domainIds.map(function (i) {
    return '<option value="' + i + '">' + esc(E[i][0] + " (" + E[i][2] + ")") + "</option>";
  }).join("");
  var overview = document.querySelector(".overview svg"), drawn = [];
  if (overview) {
    Array.prototype.forEach.call(overview.querySelectorAll("g[data-id]"), function (g) {
      var sub = g.querySelector("text.sub");
      drawn.push({ g: g, id: g.getAttribute("data-id"), sub: sub, text: sub ? sub.textContent : "" });
      var index = INDEX.get(g.getAttribute("data-id"));
      if (index === undefined || E[index][1] !== 1) return;
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", "What if " + E[index][0] + " fails?");
      function choose() { pick.value = String(index); showWhatIf(index); }
      g.addEventListener("click", choose);
      g.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
      });
    });
  }
  pick.addEventListener("change", function () { if (pick.value) showWhatIf(Number(pick.value)); else clear(); });

  function clear() {
    $("whatif-result").innerHTML = "";
    drawn.forEach(function (d) { d.g.removeAttribute("data-state"); if (d.sub) d.sub.textContent = d.text; });
  }
  function showWhatIf(domain) {
    var links = data.whatif[domain], byEntity = new Map();
    links.forEach(function (link) { byEntity.set(link[0], link); });
    var services = links.filter(function (l) { return E[l[0]][1] === 0; }).map(function (l) { return l[0]; });
    services.sort(function (a, b) { return (TIER[E[a][2]] || 0) - (TIER[E[b][2]] || 0) || a - b; });
    var domainsDown = links.length - services.length - 1, tiers = new Map();
    services.forEach(function (s) { tiers.set(E[s][2], (tiers.get(E[s][2]) || 0) + 1); });
    var byTier = Array.from(tiers.entries()).map(function (p) { return num(p[1]) + " " + p[0]; }).join(", ");
    var up = E.filter(function (e) { return e[1] === 0; }).length - services.length;
    var html = "<h3>What if " + esc(E[domain][0]) + " fails?</h3><p>" + plural(services.length, "service") + " down" +
      (byTier ? " (" + esc(byTier) + ")" : "") + ", " + plural(domainsDown, "other domain") + " down with it; " +
      plural(up, "service") + " still up.</p>";
    if (data.downAnyway.length) {
      html += '<p class="note">Down even with nothing failed (not listed): ' + esc(data.downAnyway.map(ent).join(", ")) + ".</p>";
    }
    var limit = 300;
    if (services.length) {
      html += "<ul>" + services.slice(0, limit).map(function (s) {
        var chain = [], current = s, guard = 0;
        while (current !== -1 && byEntity.has(current) && guard++ < 1000) {
          var link = byEntity.get(current), trigger = link[1] === -1 ? "" : ent(link[1]);
          chain.push(ent(link[0]) + fill(T[link[2]], trigger));
          current = link[1];
        }
        return "<li><strong>" + esc(E[s][0]) + "</strong> (" + esc(E[s][2]) + ")<details><summary>why</summary><ol class=\"chain\">" +
          chain.map(function (c) { return "<li>" + esc(c) + "</li>"; }).join("") + "</ol></details></li>";
      }).join("") + "</ul>";
      if (services.length > limit) html += '<p class="note">and ' + num(services.length - limit) + " more (resilint what-if lists them all).</p>";
    }
    $("whatif-result").innerHTML = html;
    var states = new Map();
    links.forEach(function (l) { states.set(E[l[0]][0], l[0] === domain ? "failed" : "down"); });
    drawn.forEach(function (d) {
      var s = states.get(d.id);
      if (s) d.g.setAttribute("data-state", s); else d.g.removeAttribute("data-state");
      if (d.sub) d.sub.textContent = d.text + (s ? " · " + s : "");
    });
  }
})();
