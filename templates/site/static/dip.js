/* Filter and search for the DIP table (index.html). Vanilla JS, no framework, no fetch
 * (file:// forbids it): the index comes from static/search-index.js, which sets
 * window.DIP_INDEX = [{id, judul, ringkasan, kategori, unit, tahun, url}, ...].
 * Without JavaScript the form stays hidden and the full table is shown.
 * The filtered view is kept in the URL hash (#q=...&kategori=...&unit=...&tahun=...),
 * so it can be linked; a hash without "=" is a plain anchor (an item's row). */
(function () {
  "use strict";

  var form = document.getElementById("saring_form");
  if (!form || !document.querySelector) { return; }
  /* This script runs right after the form (index.html), before the tables below it are
   * parsed: shown now, the form takes its place before the first paint, so nothing below
   * it moves (no layout shift). The rows are read once the document is parsed. */
  form.hidden = false;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
    var fields = {
      q: document.getElementById("saring_q"),
      kategori: document.getElementById("saring_kategori"),
      unit: document.getElementById("saring_unit"),
      tahun: document.getElementById("saring_tahun")
    };
    var status = document.getElementById("saring_hasil");
    var KEYS = ["q", "kategori", "unit", "tahun"];

    function fold(text) {
      var s = String(text || "");
      if (s.normalize) { s = s.normalize("NFD"); }
      return s.replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }

    /* One entry per table row: its element, its section, the folded text and its keys.
     * Rows missing from the index (or an index missing altogether) are read from the DOM. */
    var rows = [];
    var byId = new Map();
    var trs = document.querySelectorAll("table.perki tbody tr[id]");
    for (var i = 0; i < trs.length; i++) { byId.set(trs[i].id, trs[i]); }
    var sections = [];
    var seen = new Set();

    function add(tr, text, kategori, unit, tahun) {
      if (seen.has(tr.id)) { return; }
      seen.add(tr.id);
      /* the row's sections: its kategori, and the sub-heading of berkala rows inside it */
      var own = [];
      for (var el = tr.closest("section"); el; el = el.parentElement.closest("section")) {
        if (el.dataset.saringIndex === undefined) {
          el.dataset.saringIndex = String(sections.length);
          sections.push({ el: el, shown: true, count: 0 });
        }
        own.push(+el.dataset.saringIndex);
        if (!el.parentElement) { break; }
      }
      var entry = { tr: tr, sections: own, text: fold(text), kategori: kategori,
                    unit: unit, tahun: tahun, shown: true };
      rows.push(entry);
    }

    var index = window.DIP_INDEX || [];
    for (var j = 0; j < index.length; j++) {
      var e = index[j];
      var tr = byId.get(e.id);
      if (tr) { add(tr, e.judul + " " + e.ringkasan, e.kategori, e.unit, e.tahun || ""); }
    }
    byId.forEach(function (tr) {
      if (!seen.has(tr.id)) {
        var cell = tr.querySelector(".ringkasan");
        add(tr, cell ? cell.textContent : "", tr.dataset.kategori || "",
            tr.dataset.unit || "", tr.dataset.tahun || "");
      }
    });
    var total = rows.length;

    function message(name, values) {
      var text = form.getAttribute("data-msg-" + name) || "";
      return text.replace(/\{(\w+)\}/g, function (all, key) {
        return values[key] !== undefined ? String(values[key]) : all;
      });
    }

    function current() {
      return {
        q: fields.q.value, kategori: fields.kategori.value,
        unit: fields.unit.value, tahun: fields.tahun.value
      };
    }

    function apply(state) {
      var words = fold(state.q).split(/\s+/).filter(Boolean);
      var active = words.length || state.kategori || state.unit || state.tahun;
      var shown = 0;
      var k;
      for (k = 0; k < sections.length; k++) { sections[k].count = 0; }
      for (var r = 0; r < rows.length; r++) {
        var row = rows[r];
        var ok = (!state.kategori || row.kategori === state.kategori) &&
                 (!state.unit || row.unit === state.unit) &&
                 (!state.tahun || row.tahun === state.tahun);
        for (var w = 0; ok && w < words.length; w++) {
          ok = row.text.indexOf(words[w]) !== -1;
        }
        if (ok !== row.shown) { row.tr.hidden = !ok; row.shown = ok; }
        if (ok) {
          shown++;
          for (var o = 0; o < row.sections.length; o++) { sections[row.sections[o]].count++; }
        }
      }
      for (k = 0; k < sections.length; k++) {
        var visible = !active || sections[k].count > 0;
        if (visible !== sections[k].shown) {
          sections[k].el.hidden = !visible;
          sections[k].shown = visible;
        }
      }
      /* Sections without any row (the "empty" notes) only show when nothing is filtered. */
      var empties = document.querySelectorAll("section.kategori");
      for (k = 0; k < empties.length; k++) {
        if (empties[k].dataset.saringIndex === undefined) { empties[k].hidden = !!active; }
      }
      if (!active) {
        status.textContent = message("all", { total: total });
      } else if (shown === 0) {
        status.textContent = message("none", {});
      } else {
        status.textContent = message("count", { shown: shown, total: total });
      }
    }

    function toHash(state) {
      var parts = [];
      KEYS.forEach(function (key) {
        if (state[key]) { parts.push(key + "=" + encodeURIComponent(state[key])); }
      });
      return parts.join("&");
    }

    function fromString(text) {
      var state = { q: "", kategori: "", unit: "", tahun: "" };
      text.replace(/^[#?]/, "").split("&").forEach(function (part) {
        var at = part.indexOf("=");
        if (at < 0) { return; }
        var key = part.slice(0, at);
        if (KEYS.indexOf(key) < 0) { return; }
        try {
          state[key] = decodeURIComponent(part.slice(at + 1).replace(/\+/g, " "));
        } catch (err) { state[key] = ""; }
      });
      return state;
    }

    function setFields(state) {
      fields.q.value = state.q;
      ["kategori", "unit", "tahun"].forEach(function (key) {
        var select = fields[key];
        select.value = state[key];
        if (select.value !== state[key]) { select.value = ""; }
      });
    }

    function remember(state) {
      var hash = toHash(state);
      var here = location.hash.slice(1);
      if (hash === here || (!hash && here.indexOf("=") < 0)) { return; }
      var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
      try {
        history.replaceState(null, "", url);
      } catch (err) { /* some file:// setups refuse; the filter still works */ }
    }

    var timer = 0;
    function update(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var state = current();
        apply(state);
        remember(state);
      }, delay);
    }

    form.addEventListener("input", function (event) {
      update(event.target === fields.q ? 100 : 0);
    });
    form.addEventListener("change", function () { update(0); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update(0);
    });
    form.addEventListener("reset", function () {
      /* the fields are cleared after this event */
      setTimeout(function () { update(0); }, 0);
    });

    function fromLocation() {
      var hash = location.hash.slice(1);
      if (hash.indexOf("=") >= 0) { return fromString(hash); }
      if (location.search.indexOf("=") >= 0) { return fromString(location.search); }
      return null;
    }

    window.addEventListener("hashchange", function () {
      var state = fromLocation();
      if (state) { setFields(state); apply(state); }
    });

    var initial = fromLocation();
    if (initial) {
      setFields(initial);
      apply(initial);
    } else {
      status.textContent = message("all", { total: total });
    }
  }
})();
