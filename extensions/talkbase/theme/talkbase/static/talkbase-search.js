/* talkbase search page (talkbase/theme/search.py): Pagefind with the knowledge base's filters
   when the site is served, Sphinx's own index when it is opened from file:// or built without
   Pagefind. Plain JS, no build step; labels come translated from the page (data-config). */
(function () {
  "use strict";
  var page = document.getElementById("tb-search");
  if (!page) return;
  var field = document.getElementById("tb-search-field");
  var list = document.getElementById("tb-search-list");
  var status = document.getElementById("tb-search-status");
  var more = document.getElementById("tb-search-more");
  var facets = document.getElementById("tb-search-facets");
  var PAGE_SIZE = 10;
  var params = new URLSearchParams(window.location.search);
  field.value = params.get("q") || "";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.body.appendChild(script);
    });
  }

  /* ---- Sphinx's search: searchindex.js is loaded only here, never next to Pagefind ---- */
  function sphinxSearch(note) {
    page.setAttribute("data-mode", "sphinx");
    if (note) {
      var offline = document.getElementById("tb-search-offline");
      offline.textContent = note;
      offline.hidden = false;
    }
    // From file:// the browser refuses the fetch of each result's page: show results without snippets.
    // (DOCUMENTATION_OPTIONS is a global const of Sphinx's documentation_options.js, not on window.)
    if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
      DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;  // eslint-disable-line no-undef
    }
    var scripts = page.getAttribute("data-sphinx-scripts").split(" ");
    scripts.push(page.getAttribute("data-sphinx-index"));
    scripts.reduce(function (done, src) {
      return done.then(function () { return loadScript(src); });
    }, Promise.resolve());
  }

  var config = null;
  try { config = JSON.parse(page.getAttribute("data-config") || "null"); } catch (e) { config = null; }
  if (!config || page.getAttribute("data-mode") !== "pagefind") {
    sphinxSearch("");
    return;
  }
  if (window.location.protocol === "file:") {
    // Pagefind fetches its index fragments, which browsers refuse to pages opened from disk.
    sphinxSearch(config.labels.offline);
    return;
  }

  /* ---- Pagefind ---- */
  var pagefind = null;
  var selected = {};  // filter name -> [values]
  var results = [];
  var shown = 0;
  var generation = 0;
  Object.keys(config.filters).forEach(function (name) { selected[name] = params.getAll(name); });

  function label(key, count) {
    return key === "many" ? config.labels.many.replace("{count}", String(count)) : config.labels[key];
  }

  /* The excerpt is Pagefind's HTML (escaped text and <mark>): keep only text and marks. */
  function excerptNodes(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fragment = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "tb-search-result";
    var head = item.appendChild(document.createElement("p"));
    head.className = "tb-search-head";
    if (data.meta && data.meta.type) {
      var badge = head.appendChild(document.createElement("span"));
      badge.className = "tb-search-badge";
      badge.textContent = data.meta.type;
      head.appendChild(document.createTextNode(" "));
    }
    var link = head.appendChild(document.createElement("a"));
    link.className = "tb-search-link";
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    if (data.excerpt) {
      var excerpt = item.appendChild(document.createElement("p"));
      excerpt.className = "tb-search-excerpt";
      excerpt.appendChild(excerptNodes(data.excerpt));
    }
    return item;
  }

  function showMore() {
    var current = generation;
    var next = results.slice(shown, shown + PAGE_SIZE);
    shown += next.length;
    more.hidden = shown >= results.length;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (datas) {
      if (current !== generation) return;
      datas.forEach(function (data) { list.appendChild(resultItem(data)); });
    });
  }

  function activeFilters() {
    var filters = {};
    Object.keys(selected).forEach(function (name) {
      if (selected[name].length) filters[name] = {any: selected[name]};
    });
    return filters;
  }

  function updateURL() {
    var query = new URLSearchParams();
    if (field.value.trim()) query.set("q", field.value.trim());
    Object.keys(selected).forEach(function (name) {
      selected[name].forEach(function (value) { query.append(name, value); });
    });
    var search = query.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function updateCounts(counts) {
    facets.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var byValue = counts[box.name] || {};
      var count = byValue[box.value] || 0;
      box.parentNode.querySelector(".tb-facet-count").textContent = String(count);
      box.parentNode.classList.toggle("tb-facet-empty", count === 0 && !box.checked);
    });
  }

  function runSearch() {
    var current = ++generation;
    var term = field.value.trim();
    var filters = activeFilters();
    updateURL();
    if (!term && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return pagefind.filters().then(function (counts) { if (current === generation) updateCounts(counts); });
    }
    return pagefind.search(term || null, {filters: filters}).then(function (search) {
      if (current !== generation || !search) return;
      results = search.results;
      shown = 0;
      list.textContent = "";
      status.textContent = results.length === 0 ? label("none") : results.length === 1 ? label("one") : label("many", results.length);
      updateCounts(search.filters || {});
      return showMore();
    });
  }

  var timer = null;
  function scheduleSearch() {
    window.clearTimeout(timer);
    timer = window.setTimeout(runSearch, 200);
  }

  function compareValues(name) {
    if (name === "year") return function (a, b) { return b.localeCompare(a); };
    return function (a, b) { return a.localeCompare(b, document.documentElement.lang || undefined); };
  }

  function buildFacets(all) {
    var any = false;
    // Folded on narrow screens, where the filters come before the results.
    var details = facets.appendChild(document.createElement("details"));
    details.open = !window.matchMedia || window.matchMedia("(min-width: 50rem)").matches;
    var summary = details.appendChild(document.createElement("summary"));
    summary.className = "tb-facets-title";
    summary.id = "tb-facets-title";
    summary.textContent = config.labels.filters;
    facets.setAttribute("aria-labelledby", summary.id);
    Object.keys(config.filters).forEach(function (name) {
      var values = Object.keys(all[name] || {}).sort(compareValues(name));
      // Keep preselected values (from a speaker's link) even when the index lacks them.
      selected[name].forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
      if (!values.length) return;
      any = true;
      var fieldset = details.appendChild(document.createElement("fieldset"));
      fieldset.className = "tb-facet";
      fieldset.appendChild(document.createElement("legend")).textContent = config.filters[name];
      var options = fieldset.appendChild(document.createElement("div"));
      options.className = "tb-facet-options";
      values.forEach(function (value) {
        var option = options.appendChild(document.createElement("label"));
        option.className = "tb-facet-option";
        var box = option.appendChild(document.createElement("input"));
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = selected[name].indexOf(value) >= 0;
        option.appendChild(document.createElement("span")).textContent = value;
        var count = option.appendChild(document.createElement("span"));
        count.className = "tb-facet-count";
        count.textContent = String((all[name] || {})[value] || 0);
      });
    });
    var clear = details.appendChild(document.createElement("button"));
    clear.type = "button";
    clear.className = "tb-facet-clear";
    clear.textContent = config.labels.clear;
    clear.addEventListener("click", function () {
      Object.keys(selected).forEach(function (name) { selected[name] = []; });
      facets.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
      runSearch();
    });
    facets.hidden = !any;
  }

  facets.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox") return;
    selected[box.name] = Array.prototype.map.call(
      facets.querySelectorAll("input[name='" + box.name + "']:checked"), function (b) { return b.value; });
    runSearch();
  });

  /* Keyboard: Enter searches at once; the arrows move between the field and the results. */
  page.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    runSearch();
  });
  field.addEventListener("input", scheduleSearch);
  page.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".tb-search-link"));
    var at = event.target === field ? -1 : links.indexOf(event.target);
    if (at === -1 && event.target !== field) return;  // the filters keep their own arrow keys
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next >= links.length || next < -1) return;
    event.preventDefault();
    (next === -1 ? field : links[next]).focus();
  });
  more.textContent = config.labels.more;
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });

  import(new URL(config.pagefind, window.location.href).href).then(function (module) {
    pagefind = module;
    return pagefind.options({baseUrl: new URL(config.root, window.location.href).pathname, excerptLength: 24});
  }).then(function () {
    return pagefind.filters();
  }).then(function (all) {
    buildFacets(all);
    return runSearch();
  }).catch(function () {
    // No bundle (an old build, a failed indexing): Sphinx's index is always written.
    pagefind = null;
    sphinxSearch(config.labels.offline);
  });
})();
