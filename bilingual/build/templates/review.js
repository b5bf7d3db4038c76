// The review page's status filter and text search: plain JavaScript, no network, works from file://.
(function () {
  "use strict";
  var form = document.getElementById("review-controls");
  var status = document.getElementById("filter-status");
  var search = document.getElementById("filter-text");
  var counter = document.getElementById("filter-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-ctx]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody.group"));
  // Full-width letters and digits match half-width ones, case and runs of spaces are ignored.
  var fold = function (text) { return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " "); };
  var texts = rows.map(function (row) { return fold(row.textContent); });

  function wanted(row) {
    var want = status.value;
    if (want === "all") { return true; }
    if (want === "flagged") { return row.hasAttribute("data-flagged"); }
    return row.getAttribute("data-status") === want;
  }

  function apply() {
    var query = fold(search.value.trim());
    var shown = 0;
    rows.forEach(function (row, index) {
      var show = wanted(row) && (query === "" || texts[index].indexOf(query) !== -1);
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelector("tr[data-ctx]:not([hidden])") === null;
    });
    counter.textContent = shown + " of " + rows.length + " entries shown";
  }

  // A link to a row the filter hides shows every row again.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var row = id ? document.getElementById(id) : null;
    if (row && row.hidden) {
      status.value = "all";
      search.value = "";
      apply();
      row.scrollIntoView();
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  status.addEventListener("change", apply);
  search.addEventListener("input", apply);
  window.addEventListener("hashchange", reveal);
  form.hidden = false;
  apply();
}());
