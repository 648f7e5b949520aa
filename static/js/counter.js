// Visitor counter: posts one hit per page view to site.toml's [counter]
// endpoint and shows the counts in the footer, labelled by the paragraph's
// data attributes. Without an answer the paragraph stays hidden.
(function () {
  var p = document.querySelector("p.visits[data-counter]");
  var d = p && p.dataset;
  var api = d && d.counter;
  if (!api || !window.fetch || !window.JSON) return;
  if (api.slice(-1) != "/") api += "/";
  var sep = d.lang == "vi" ? "." : ",";

  function num(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  }

  function show(c) {
    if (!c || typeof c.total != "number" || typeof c.today != "number") return;
    p.textContent = d.labelTotal + ": " + num(c.total) + " · " + d.labelToday + ": " + num(c.today);
    p.hidden = false;
  }

  // JSON, or nothing after 5 s.
  function get(url, opt) {
    opt = opt || {};
    var ac = window.AbortController && new AbortController();
    var t = ac && setTimeout(function () { ac.abort(); }, 5000);
    if (ac) opt.signal = ac.signal;
    return fetch(url, opt).then(function (r) {
      clearTimeout(t);
      if (!r.ok) throw r.status;
      return r.json();
    });
  }

  function quiet() {}

  function count() {
    get(api + "count").then(show, quiet);
  }

  function hit() {
    // A string body goes as text/plain: a simple request, no preflight.
    get(api + "hit", {
      method: "POST",
      keepalive: true,
      body: JSON.stringify({
        path: location.pathname,
        lang: document.documentElement.lang,
        referrer: document.referrer
      })
    }).then(show, count);
  }

  // The developer's own machine and automated browsers only read.
  if (/^(localhost|127\.0\.0\.1|\[?::1\]?)$/.test(location.hostname) || navigator.webdriver) {
    count();
  } else if (document.prerendering || document.visibilityState == "prerender") {
    // A page prerendered but never shown was not visited.
    document.addEventListener("prerenderingchange", hit, { once: true });
  } else {
    hit();
  }
})();
