// Document list filter: the list page shows every document by year and by
// type without script; this shows a form that keeps the rows of one year
// and one type, and keeps the choice in the address (?year=2020&type=…),
// so that a filtered list can be bookmarked or shared.
(function () {
  var form = document.querySelector("form.doc-filter");
  if (!form) return;
  var year = form.elements.year, type = form.elements.type;
  var status = form.querySelector(".doc-filter-status");
  var years = document.querySelectorAll("section.doc-year");
  var byType = document.querySelector("section.doc-types");
  var total = document.querySelectorAll("section.doc-year tbody tr").length;

  function choose(select, value) {
    select.value = value || "";
    if (select.value !== (value || "")) select.value = "";
  }

  function apply() {
    var y = year.value, t = type.value, shown = 0, filtered = !!(y || t);
    years.forEach(function (s) {
      var visible = 0;
      s.querySelectorAll("tbody tr").forEach(function (tr) {
        var keep = (!y || s.getAttribute("data-year") === y) && (!t || tr.getAttribute("data-type") === t);
        tr.hidden = !keep;
        if (keep) visible++;
      });
      s.hidden = visible === 0;
      shown += visible;
    });
    if (byType) byType.hidden = filtered;
    var msg = shown ? form.getAttribute("data-msg-shown") : form.getAttribute("data-msg-none");
    status.textContent = filtered ? msg.replace("{n}", shown).replace("{total}", total) : "";
    var p = new URLSearchParams(location.search);
    if (y) p.set("year", y); else p.delete("year");
    if (t) p.set("type", t); else p.delete("type");
    var q = p.toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
  }

  var p = new URLSearchParams(location.search);
  choose(year, p.get("year"));
  choose(type, p.get("type"));
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.hidden = false;
  if (year.value || type.value) apply();
})();
