// The cookie banner: the footer's "Cookies" link reopens it in place and moves the focus to it (COOK-2);
// Escape closes a reopened banner and gives the focus back. Without JavaScript the link opens the policy page.
(function () {
  "use strict";
  var banner = document.getElementById("cookie-banner");
  if (!banner) { return; }
  var title = document.getElementById("cookie-banner-title");
  var opener = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-cookie-settings]") : null;
    if (!link) { return; }
    event.preventDefault();
    opener = link;
    banner.hidden = false;
    title.focus();
  });
  banner.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && opener) {
      banner.hidden = true;
      opener.focus();
      opener = null;
    }
  });
})();
