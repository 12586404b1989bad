// Adds a "copy" button beside each citation; the page works without it (the text areas
// can be selected by hand).
document.querySelectorAll("textarea[data-copy]").forEach(function (area) {
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = document.documentElement.lang === "fr" ? "Copier" : "Copy";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(area.value).then(function () {
      button.textContent = "✓";
    });
  });
  area.insertAdjacentElement("afterend", button);
});
