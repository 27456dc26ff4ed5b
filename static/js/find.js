// The find page: the booking dialog and the plan's tooltip. No inline handlers (CSP).
(function () {
  "use strict";

  // What opened the dialog, to give it focus back when the dialog closes. A booking reloads
  // the finder behind the dialog, so the element itself may be gone by then: keep its link
  // and its resource to find what stands in for it.
  let opener = null;
  let openerPath = "";
  let openerResource = "";
  let openerOnPlan = false;
  // Set while the finder reloads after a booking; the focus is put back once more after it.
  let refreshing = false;
  let refocusAfterRefresh = false;

  function dialog() {
    return document.getElementById("booking-dialog");
  }

  function focusOpener() {
    let target = opener && opener.isConnected ? opener : null;
    if (!target) {
      // The Book button leaves the list once the place is booked; the plan keeps the place.
      const inList = openerPath && document.querySelector('.resource-list [href^="' + openerPath + '"]');
      const onPlan =
        openerResource && document.querySelector('.plan-svg [data-resource="' + openerResource + '"]');
      target = openerOnPlan ? onPlan || inList : inList || onPlan;
    }
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[hx-target='#dialog-body']");
    if (trigger && !trigger.closest("#dialog-body")) {
      opener = trigger;
      openerPath = (trigger.getAttribute("href") || "").split("?")[0];
      // Markers on the plan name their resource; a Book button only links to it (/resources/7/book/).
      const linked = openerPath.match(/\/(\d+)\/book\/$/);
      openerResource = trigger.dataset.resource || (linked ? linked[1] : "");
      openerOnPlan = Boolean(trigger.closest(".plan-svg"));
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      const open = closer.closest("dialog");
      if (open) {
        open.close();
      } else if (closer.dataset.href) {
        // The booking page without the find page around it: back to finding a place.
        window.location.href = closer.dataset.href;
      }
    }
  });

  document.body.addEventListener("bookingChanged", () => {
    refreshing = Boolean(document.getElementById("finder"));
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id === "finder") {
      refreshing = false;
      const box = dialog();
      if (refocusAfterRefresh && !(box && box.open)) {
        focusOpener();
      }
      refocusAfterRefresh = false;
      return;
    }
    const box = dialog();
    if (!box || target.id !== "dialog-body") {
      return;
    }
    if (!box.open) {
      box.showModal();
    }
    const first =
      box.querySelector("[data-autofocus]") ||
      box.querySelector("input:not([type=hidden]), select, textarea, button[type=submit]");
    if (first) {
      first.focus();
    }
  });

  document.addEventListener(
    "close",
    (event) => {
      if (event.target !== dialog()) {
        return;
      }
      document.getElementById("dialog-body").replaceChildren();
      focusOpener();
      refocusAfterRefresh = refreshing;
    },
    true,
  );

  // Hover or focus on a resource shows what it is, in words.
  function showTooltip(resource) {
    const tooltip = document.getElementById("plan-tooltip");
    if (!tooltip) return;
    const canvas = tooltip.parentElement;
    const frame = canvas.getBoundingClientRect();
    const box = resource.getBoundingClientRect();
    tooltip.textContent = resource.dataset.summary;
    tooltip.hidden = false;
    // Positions inside the canvas, which scrolls sideways on a phone.
    const half = tooltip.offsetWidth / 2;
    const centre = box.left - frame.left + canvas.scrollLeft + box.width / 2;
    const left = Math.min(Math.max(centre, canvas.scrollLeft + half), canvas.scrollLeft + canvas.clientWidth - half);
    const above = box.top - frame.top > tooltip.offsetHeight + 12;
    tooltip.classList.toggle("plan-tooltip-below", !above);
    tooltip.style.left = left + "px";
    tooltip.style.top = (above ? box.top - frame.top : box.bottom - frame.top) + canvas.scrollTop + "px";
  }

  function hideTooltip() {
    const tooltip = document.getElementById("plan-tooltip");
    if (tooltip) tooltip.hidden = true;
  }

  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (event) => {
      const resource = event.target.closest && event.target.closest(".plan-svg .resource");
      if (resource) showTooltip(resource);
    });
  }
  for (const type of ["mouseout", "focusout"]) {
    document.addEventListener(type, (event) => {
      if (event.target.closest && event.target.closest(".plan-svg .resource")) hideTooltip();
    });
  }
})();
