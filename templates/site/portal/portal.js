/* The province portal's filter (dipctl build on a federation): shows the form, then hides the
   rows of the province's DIP that do not match the words, the agency and the category. The
   table is complete without it. */
(function () {
  "use strict";
  var form = document.getElementById("saring_form");
  var table = document.getElementById("provinsi_dip");
  if (!form || !table) { return; }
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (tr) { return tr.textContent.toLowerCase(); });
  var out = document.getElementById("saring_hasil");
  function message(name, shown) {
    return (form.getAttribute("data-msg-" + name) || "")
      .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }
  function apply() {
    var words = form.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var agency = form.instansi.value, category = form.kategori.value, shown = 0;
    rows.forEach(function (tr, i) {
      var ok = (!agency || tr.getAttribute("data-instansi") === agency) &&
        (!category || tr.getAttribute("data-kategori") === category) &&
        words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var active = words.length || agency || category;
    out.textContent = !active ? message("all", shown) : shown ? message("count", shown) : message("none", 0);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
}());
