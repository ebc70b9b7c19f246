// Copy buttons beside the badge snippets. Without JavaScript the buttons stay
// hidden and the snippets can still be selected and copied by hand.
"use strict";
for (const button of document.querySelectorAll("button.copy[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) continue;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      button.textContent = button.dataset.done;
    } catch {
      source.select();
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
}
