// Loads a self-hosted Matomo once the person has said yes. The page includes this file only
// after consent; its settings come from data- attributes, as the CSP forbids inline script.
(function () {
  "use strict";
  const me = document.currentScript;
  if (!me) {
    return;
  }
  const base = me.getAttribute("data-matomo-url");
  const siteId = me.getAttribute("data-site-id");
  const queue = (window._paq = window._paq || []);
  queue.push(["trackPageView"]);
  queue.push(["enableLinkTracking"]);
  queue.push(["setTrackerUrl", base + "matomo.php"]);
  queue.push(["setSiteId", siteId]);
  const script = document.createElement("script");
  script.async = true;
  script.src = base + "matomo.js";
  document.head.appendChild(script);
})();
