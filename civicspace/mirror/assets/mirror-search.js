// Search in a mirror of the Civic Space Monitor, loaded only on the mirror's search page. Served over HTTP(S) it
// asks Pagefind's per-language index (stemmed); from file:// (where browsers refuse Pagefind's WebAssembly) it
// loads search/index-<lang>.js and matches every query word as the beginning of a word of a page.
(function () {
  "use strict";
  var form = document.getElementById("mirror-search");
  if (!form) { return; }
  var input = document.getElementById("mirror-q");
  var status = document.getElementById("mirror-search-status");
  var list = document.getElementById("mirror-search-results");
  var root = form.getAttribute("data-root") || "";
  var lang = document.documentElement.lang || "en";
  var rootUrl = new URL(root, window.location.href);
  var pagefind = null;
  var words = /[\p{L}\p{N}_]+/gu;

  function show(results, query) {
    list.textContent = "";
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      li.appendChild(a);
      if (r.excerpt) {
        var p = document.createElement("p");
        p.textContent = r.excerpt;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    status.textContent = results.length + " \u2014 \u201c" + query + "\u201d";
  }

  function loadFallback() {
    return new Promise(function (resolve, reject) {
      if (window.MIRROR_SEARCH_INDEX && window.MIRROR_SEARCH_INDEX[lang]) { resolve(window.MIRROR_SEARCH_INDEX[lang]); return; }
      var script = document.createElement("script");
      script.src = new URL("search/index-" + lang + ".js", rootUrl).href;
      script.onload = function () { resolve((window.MIRROR_SEARCH_INDEX || {})[lang] || []); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function fallbackSearch(query) {
    var terms = (query.toLowerCase().match(words) || []);
    return loadFallback().then(function (rows) {
      var found = [];
      rows.forEach(function (row) {
        var pageWords = " " + row[3];
        var title = row[1].toLowerCase();
        if (terms.length && terms.every(function (t) { return pageWords.indexOf(" " + t) !== -1; })) {
          var score = terms.filter(function (t) { return title.indexOf(t) !== -1; }).length;
          found.push({score: score, url: new URL(row[0], rootUrl).href, title: row[1], excerpt: row[2]});
        }
      });
      found.sort(function (a, b) { return b.score - a.score || a.title.length - b.title.length; });
      return found;
    });
  }

  function pagefindSearch(query) {
    var load = pagefind ? Promise.resolve(pagefind) :
      import(new URL("pagefind/pagefind.js", rootUrl).href).then(function (module) {
        pagefind = module;
        return module.options({baseUrl: rootUrl.pathname}).then(function () { return module; });
      });
    return load.then(function (module) { return module.search(query); }).then(function (search) {
      return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
    }).then(function (rows) {
      return rows.map(function (d) {
        var excerpt = document.createElement("div");
        excerpt.innerHTML = d.excerpt;
        return {url: d.url, title: (d.meta && d.meta.title) || d.url, excerpt: excerpt.textContent};
      });
    });
  }

  function run(query) {
    if (!query.trim()) { return; }
    var overHttp = window.location.protocol === "http:" || window.location.protocol === "https:";
    var search = overHttp ? pagefindSearch(query).catch(function () { return fallbackSearch(query); })
      : fallbackSearch(query);
    search.then(function (results) { show(results, query); }, function () { status.textContent = "\u2014"; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
