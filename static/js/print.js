// The print button of the QR sheet: the Content-Security-Policy forbids inline handlers.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
