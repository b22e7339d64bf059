// Progressive enhancement only: every page works without this file.
// The Print link opens a print view; with JavaScript it prints this page
// directly (the print stylesheet shows only the article).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-print]");
  if (!link || typeof window.print !== "function") return;
  event.preventDefault();
  window.print();
});
