// The pages' small enhancements; every page works without them.
var fr = document.documentElement.lang === "fr";

// A "copy" button beside each citation (the text areas can be selected by hand), its
// confirmation announced to screen readers.
document.querySelectorAll("textarea[data-copy]").forEach(function (area) {
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = fr ? "Copier" : "Copy";
  var status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(area.value).then(function () {
      button.textContent = fr ? "Copié ✓" : "Copied ✓";
      status.textContent = fr ? "Citation copiée" : "Citation copied";
    });
  });
  area.insertAdjacentElement("afterend", button);
  button.insertAdjacentElement("afterend", status);
});

// Search filters start folded on a phone, so that the first result is in the first screen.
var filters = document.getElementById("filters");
if (filters && window.matchMedia("(max-width: 50rem)").matches) {
  filters.open = false;
}
