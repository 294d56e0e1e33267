/* talkbase: copy buttons for the formats of a "Cite this" block.
 *
 * Plain script, no network: a real <button> is added to every `.kb-cite-format`
 * block; it copies the block's text with the Clipboard API, or with a hidden
 * textarea and execCommand("copy") where that API is unavailable (file://, old
 * browsers).  Labels come from data- attributes of this script's tag, so they are
 * translated by Sphinx.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-kb-copy]");
  function label(name, fallback) {
    return (script && script.getAttribute("data-kb-" + name)) || fallback;
  }
  var COPY = label("copy", "Copy");
  var COPIED = label("copied", "Copied");
  var FAILED = label("copy-failed", "Copy failed");

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithTextarea(text);
      });
    }
    return copyWithTextarea(text);
  }

  function addButton(block) {
    var pre = block.querySelector("pre");
    if (!pre || block.querySelector(".kb-cite-copy")) {
      return;
    }
    var caption = block.querySelector(".caption-text");
    var name = caption ? caption.textContent.trim() : "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kb-cite-copy";
    button.textContent = COPY;
    button.setAttribute("aria-label", name ? COPY + " " + name : COPY);
    var status = document.createElement("span");
    status.className = "kb-cite-copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var timer = null;
    button.addEventListener("click", function () {
      copyText(pre.textContent).then(
        function () { status.textContent = COPIED; button.textContent = COPIED; },
        function () { status.textContent = FAILED; button.textContent = FAILED; }
      ).then(function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = COPY;
          status.textContent = "";
        }, 2000);
      });
    });
    block.appendChild(button);
    block.appendChild(status);
  }

  function init() {
    var blocks = document.querySelectorAll(".kb-cite-format");
    for (var i = 0; i < blocks.length; i++) {
      addButton(blocks[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
