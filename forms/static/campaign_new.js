// «Новая кампания»: show only the period picker of the chosen kind and keep the audience
// count up to date as the form changes (the page works without this: «Пересчитать»).
(function () {
  "use strict";
  function pickers(form) {
    var kind = form.elements.period_kind.value;
    document.getElementById("quarter-row").hidden = kind !== "quarter";
    document.getElementById("month-row").hidden = kind !== "month";
  }
  var asked = 0;  // answers may come back out of order: only the latest question counts
  function recount(form) {
    var mine = ++asked;
    var data = new FormData(form);
    data.delete("csrf_token");
    data.delete("action");
    var url = form.dataset.countUrl + "?" + new URLSearchParams(data).toString();
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (reach) {
        if (mine !== asked) { return; }
        var out = document.getElementById("audience-count");
        if (!reach || reach.organizations === null) {
          out.textContent = "Выберите форму, область и период, чтобы посчитать охват.";
          return;
        }
        var text = "Охват: организаций — " + reach.organizations;
        if (reach.staff !== null) { text += ", работников — " + reach.staff; }
        out.textContent = text + ".";
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("campaign-new");
    if (!form) { return; }
    pickers(form);
    recount(form);
    form.addEventListener("change", function () { pickers(form); recount(form); });
  });
})();
