// "Save this search": search as you type changes the page's URL (history.replaceState) without reloading
// it, so save what the address bar shows now rather than the words the page was first opened with. Without
// JavaScript the page reloads on every search and the form's own value is already current.
(function () {
  "use strict";
  var form = document.querySelector("form[data-save-search]");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    if (window.location.pathname === "/search") {
      form.elements.query.value = window.location.search.replace(/^\?/, "");
    }
  });
})();
