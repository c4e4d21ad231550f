// HS code finder, as you type. Without JavaScript the "Find the code" button does the same on the server.
(function () {
  "use strict";
  var input = document.querySelector("[data-hs-suggest]");
  var box = document.getElementById("hs-suggestions");
  if (!input || !box) { return; }
  var timer = null;
  var lastQuery = "";
  var language = document.documentElement.lang || "en";

  function render(items) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!items.length) { return; }
    var fieldset = document.createElement("fieldset");
    fieldset.className = "suggestions";
    var legend = document.createElement("legend");
    legend.textContent = box.dataset.legend || "HS";
    fieldset.appendChild(legend);
    items.forEach(function (item) {
      var label = document.createElement("label");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "hs_code";
      radio.value = item.code;
      var code = document.createElement("strong");
      code.textContent = item.code;
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(code);
      label.appendChild(document.createTextNode(" " + item.label));
      fieldset.appendChild(label);
    });
    box.appendChild(fieldset);
    var manual = document.getElementById("f-hs_code");
    if (manual) { manual.closest(".field").hidden = true; manual.disabled = true; }
  }

  input.addEventListener("input", function () {
    var query = input.value.trim();
    clearTimeout(timer);
    if (query.length < 2 || query === lastQuery) { return; }
    timer = setTimeout(function () {
      lastQuery = query;
      var url = input.dataset.hsSuggest + "?q=" + encodeURIComponent(query) + "&language=" + encodeURIComponent(language);
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.items || []); } })
        .catch(function () { /* the no-JS button still works */ });
    }, 200);
  });
})();
