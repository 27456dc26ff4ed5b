// "Buildings near me": ask the browser where the person is, and send it once in a POST body
// (never in a URL, which access logs would keep). Without JavaScript the form below works.
(function () {
  "use strict";
  const form = document.getElementById("near-me-form");
  const button = document.getElementById("near-me-locate");
  const status = document.getElementById("near-me-status");
  const results = document.getElementById("near-me-results");
  if (!form || !button || !status || !results || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;

  function done(message) {
    status.textContent = message;
    button.disabled = false;
  }

  function sort(position) {
    const body = new FormData(form);
    // Three decimals (about 100 m) are plenty to sort buildings; send no more than that.
    body.set("latitude", position.coords.latitude.toFixed(3));
    body.set("longitude", position.coords.longitude.toFixed(3));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then((response) => {
        const redirect = response.headers.get("HX-Redirect");
        if (redirect) {
          window.location.assign(redirect);
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then((html) => {
        if (html === null) {
          return;
        }
        results.innerHTML = html;
        done("");
        results.focus();
      })
      .catch(() => done(button.getAttribute("data-failed")));
  }

  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = button.getAttribute("data-waiting");
    navigator.geolocation.getCurrentPosition(sort, () => done(button.getAttribute("data-denied")), {
      maximumAge: 60000,
      timeout: 15000,
    });
  });
})();
