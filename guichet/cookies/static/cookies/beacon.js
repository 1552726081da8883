// First-party analytics beacon (COOK-5, COOK-6): included only after consent to analytics; it tells
// Guichet which page was seen. No third party, no other data.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (!url || !navigator.sendBeacon) { return; }
  var body = new URLSearchParams({ path: window.location.pathname });
  navigator.sendBeacon(url, body);
})();
