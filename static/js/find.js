// The find page: the booking dialog and the plan's tooltip. No inline handlers (CSP).
(function () {
  "use strict";

  let opener = null;

  function dialog() {
    return document.getElementById("booking-dialog");
  }

  // Remember what opened the dialog, to give it focus back when the dialog closes.
  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[hx-target='#dialog-body']");
    if (trigger) {
      opener = trigger;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      const open = closer.closest("dialog");
      if (open) {
        open.close();
      } else {
        window.location.href = "/find/";
      }
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const box = dialog();
    if (!box || event.detail.target.id !== "dialog-body") {
      return;
    }
    if (!box.open) {
      box.showModal();
    }
    const first = box.querySelector("[role=alert], input:not([type=hidden]), select, button[type=submit]");
    if (first && first.focus) {
      first.focus();
    }
  });

  document.addEventListener("close", (event) => {
    if (event.target === dialog()) {
      document.getElementById("dialog-body").replaceChildren();
      if (opener && document.body.contains(opener)) {
        opener.focus();
      } else {
        const plan = document.querySelector(".plan-svg");
        if (plan) plan.focus();
      }
    }
  }, true);

  // Hover or focus on a resource shows what it is, in words.
  function showTooltip(resource) {
    const tooltip = document.getElementById("plan-tooltip");
    if (!tooltip) return;
    const canvas = tooltip.parentElement.getBoundingClientRect();
    const box = resource.getBoundingClientRect();
    tooltip.textContent = resource.dataset.summary;
    tooltip.hidden = false;
    tooltip.style.left = Math.max(0, box.left - canvas.left + box.width / 2) + "px";
    tooltip.style.top = (box.top - canvas.top) + "px";
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
