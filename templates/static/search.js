// Search as you type: fetch the results part of the page for the current words. Without JavaScript the
// form submits normally; URLs stay shareable either way.
(function () {
  "use strict";
  var form = document.querySelector("[data-search-live]");
  var box = document.getElementById("search-results");
  if (!form || !box || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var timer = null;
  var latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = new URLSearchParams(new FormData(form));
      var shown = "/search?" + query.toString();
      query.set("fragment", "1");
      var ticket = ++latest;
      fetch("/search?" + query.toString(), { headers: { "Accept": "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          if (ticket !== latest) { return; }
          var parsed = new DOMParser().parseFromString(html, "text/html");
          box.replaceChildren.apply(box, Array.prototype.slice.call(parsed.body.childNodes));
          history.replaceState(null, "", shown);
        })
        .catch(function () { /* the form still submits */ });
    }, 250);
  });
})();
