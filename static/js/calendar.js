// Copy buttons on the calendar settings page. Without JavaScript they stay hidden and the
// read-only fields can still be selected and copied by hand.
(() => {
  const status = document.querySelector("[data-copy-status]");

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node makes screen readers announce it again on a second copy.
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  async function copy(input) {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      document.execCommand("copy");
    }
    announce(status ? status.dataset.copiedMessage : "");
  }

  for (const button of document.querySelectorAll("[data-copy-target]")) {
    const input = document.getElementById(button.dataset.copyTarget);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener("click", () => copy(input));
  }

  for (const input of document.querySelectorAll(".calendar-copy input[readonly]")) {
    input.addEventListener("focus", () => input.select());
  }
})();
