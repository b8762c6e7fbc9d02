// Copy buttons of the Cite box: each copies the text of the element its data-copy
// names. The Clipboard API where the page may use it; otherwise the selected text is
// copied the old way, so plain-http sites (no secure context) still copy.
(function () {
  "use strict";

  function copyBySelection(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = document.execCommand("copy");
    selection.removeAllRanges();
    return done;
  }

  function say(button, message) {
    var status = button.parentElement.querySelector(".copied");
    if (status) status.textContent = message;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var element = document.getElementById(button.dataset.copy);
    if (!element) return;
    var text = element.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(button, "Copied."); },
        function () { say(button, copyBySelection(element) ? "Copied." : "Select and copy the text above."); });
    } else {
      say(button, copyBySelection(element) ? "Copied." : "Select and copy the text above.");
    }
  });
})();
