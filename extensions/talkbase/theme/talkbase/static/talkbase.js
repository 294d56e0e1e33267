/* talkbase theme: colour-scheme toggle, mobile menu, navigation toggles,
   speaker avatars and previews of knowledge-base links. Plain JS, no build step.
   The scheme itself is applied before painting by the inline script in <head>. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "talkbase-scheme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  /* ---- colour scheme: auto -> light -> dark -> auto ---- */
  function applyScheme(choice) {
    var dark = choice === "dark" || (choice !== "light" && media && media.matches);
    root.setAttribute("data-theme", choice);
    root.setAttribute("data-scheme", dark ? "dark" : "light");
    var button = document.querySelector(".tb-scheme-button");
    if (button) {
      var label = button.getAttribute("data-label-" + choice) || choice;
      button.setAttribute("aria-label", label);
      button.setAttribute("title", label);
    }
  }
  function storedScheme() {
    try { return localStorage.getItem(KEY) || "auto"; } catch (e) { return "auto"; }
  }
  function setupScheme() {
    var button = document.querySelector(".tb-scheme-button");
    applyScheme(storedScheme());
    if (media && media.addEventListener) {
      media.addEventListener("change", function () { applyScheme(storedScheme()); });
    }
    if (!button) return;
    button.addEventListener("click", function () {
      var order = ["auto", "light", "dark"];
      var next = order[(order.indexOf(storedScheme()) + 1) % order.length];
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
      applyScheme(next);
    });
  }

  /* ---- relations graphs: each SVG is an <object>, a document the page's CSS does not
     reach; give it the page's scheme (its embedded style has both palettes). Opened from
     file://, the SVG is out of reach and follows the system's scheme instead. ---- */
  function syncGraph(object) {
    var doc = null;
    try { doc = object.contentDocument; } catch (e) { doc = null; }
    if (doc && doc.documentElement) doc.documentElement.setAttribute("data-scheme", root.getAttribute("data-scheme") || "light");
  }
  function setupGraphs() {
    var objects = document.querySelectorAll("object.kb-graph-drawing");
    if (!objects.length) return;
    objects.forEach(function (object) {
      object.addEventListener("load", function () { syncGraph(object); });
      syncGraph(object);
    });
    new MutationObserver(function () { objects.forEach(syncGraph); })
      .observe(root, {attributes: true, attributeFilter: ["data-scheme"]});
  }

  /* ---- header search on narrow screens: an icon button opening a full-width field ---- */
  function setupSearch() {
    var header = document.querySelector(".tb-header");
    var button = document.querySelector(".tb-search-button");
    var input = document.getElementById("tb-search-input");
    if (!header || !button || !input) return;
    header.classList.add("tb-search-ready");
    function set(open, returnFocus) {
      header.classList.toggle("tb-search-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) input.focus();
      else if (returnFocus) button.focus();
    }
    button.addEventListener("click", function () { set(!header.classList.contains("tb-search-open"), false); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("tb-search-open")) set(false, true);
    });
  }

  /* ---- mobile menu and navigation toggles ---- */
  function setupMenu() {
    var button = document.querySelector(".tb-menu-button");
    var drawer = document.getElementById("tb-drawer");
    if (!button || !drawer) return;
    function set(open) {
      document.body.classList.toggle("tb-menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      set(open);
      if (open) {
        var first = drawer.querySelector("a[aria-current], a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("tb-menu-open") && drawer.contains(document.activeElement)) {
        set(false);
        button.focus();
      }
    });
    document.querySelectorAll(".tb-nav-toggle").forEach(function (toggle) {
      toggle.addEventListener("click", function () {
        var list = document.getElementById(toggle.getAttribute("aria-controls"));
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        if (list) list.hidden = !open;
      });
    });
  }

  /* ---- wide code blocks and tables stay reachable by keyboard ----
   (tables are wrapped in .tb-scroll when the page is written: talkbase.theme.tables) */
  function markScrollers() {
    document.querySelectorAll(".tb-article pre, .tb-article div.math, .tb-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  /* ---- speaker initials and photos ---- */
  var previews = {};
  function readPreviews() {
    var data = document.getElementById("tb-previews");
    if (!data) return;
    try { previews = JSON.parse(data.textContent) || {}; } catch (e) { previews = {}; }
  }
  function initials(name) {
    var words = name.replace(/\(.*?\)/g, " ").split(/\s+/).filter(function (w) { return /\p{L}/u.test(w); });
    if (!words.length) return "";
    var first = words[0].match(/\p{L}/u)[0];
    var last = words.length > 1 ? words[words.length - 1].match(/\p{L}/u)[0] : "";
    return (first + last).toUpperCase();
  }
  function avatar(name, photo, large) {
    var span = document.createElement("span");
    span.className = "kb-avatar" + (large ? " kb-avatar-large" : "");
    span.setAttribute("aria-hidden", "true");
    if (photo) {
      var img = document.createElement("img");
      img.src = photo;
      img.alt = "";
      span.appendChild(img);
    } else {
      span.textContent = initials(name);
    }
    return span;
  }
  function setupAvatars() {
    document.querySelectorAll(".kb-talk .kb-header .kb-field-speakers a.kb-ref-speaker").forEach(function (link) {
      var data = previews[link.getAttribute("href")] || {};
      link.parentNode.insertBefore(avatar(link.textContent, data.photo, false), link);
    });
    document.querySelectorAll(".kb-speaker > .kb-header > .sd-card-body").forEach(function (body) {
      var title = body.querySelector(".kb-title-text");
      if (title && !body.querySelector(".kb-photo")) body.insertBefore(avatar(title.textContent, "", true), body.firstChild);
    });
  }

  /* ---- previews of knowledge-base links ---- */
  var box = null, current = null, showTimer = 0, hideTimer = 0, lastPointer = "mouse";
  function ensureBox() {
    if (box) return box;
    box = document.createElement("div");
    box.id = "tb-preview";
    box.className = "tb-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("mouseleave", function () { scheduleHide(); });
    document.body.appendChild(box);
    return box;
  }
  function part(cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }
  function show(link) {
    var data = previews[link.getAttribute("href")];
    if (!data) return;
    clearTimeout(hideTimer);
    if (current && current !== link) hide();
    var el = ensureBox();
    el.replaceChildren(part("tb-preview-type", data.type), part("tb-preview-title", data.title));
    if (data.summary) el.appendChild(part("tb-preview-summary", data.summary));
    el.hidden = false;
    current = link;
    if (link.hasAttribute("title")) {
      link.setAttribute("data-tb-title", link.getAttribute("title"));
      link.removeAttribute("title");
    }
    link.setAttribute("aria-describedby", "tb-preview");
    var rect = link.getBoundingClientRect();
    var width = el.offsetWidth, height = el.offsetHeight;
    var left = Math.min(Math.max(8, rect.left), document.documentElement.clientWidth - width - 8);
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight && rect.top - height - 6 > 0) top = rect.top - height - 6;
    el.style.left = (left + window.scrollX) + "px";
    el.style.top = (top + window.scrollY) + "px";
  }
  function hide() {
    clearTimeout(showTimer);
    if (box) box.hidden = true;
    if (current) {
      current.removeAttribute("aria-describedby");
      if (current.hasAttribute("data-tb-title")) {
        current.setAttribute("title", current.getAttribute("data-tb-title"));
        current.removeAttribute("data-tb-title");
      }
    }
    current = null;
  }
  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }
  function linkOf(target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    return link && previews[link.getAttribute("href")] ? link : null;
  }
  function setupPreviews() {
    if (!Object.keys(previews).length) return;
    document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
    document.addEventListener("keydown", function (event) {
      lastPointer = "keyboard";
      if (event.key === "Escape" && current) {
        hide();
      }
    });
    document.addEventListener("pointerover", function (event) {
      if (event.pointerType !== "mouse") return;
      var link = linkOf(event.target);
      if (!link) return;
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(link); }, 250);
    });
    document.addEventListener("pointerout", function (event) {
      if (event.pointerType === "mouse" && linkOf(event.target)) scheduleHide();
    });
    document.addEventListener("focusin", function (event) {
      var link = linkOf(event.target);
      if (link && lastPointer === "keyboard" && link.matches(":focus-visible")) show(link);
    });
    document.addEventListener("focusout", function (event) {
      if (linkOf(event.target)) hide();
    });
  }

  function start() {
    setupScheme();
    setupGraphs();
    setupSearch();
    setupMenu();
    readPreviews();
    setupAvatars();
    markScrollers();
    setupPreviews();
    var timer = 0;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(markScrollers, 150); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
