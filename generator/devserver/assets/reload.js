// Live reload for sxsh serve: reloads the page after each rebuild, and after
// a failed one so that the error page shows. Not part of the published site.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var seen = null;
  var source = new EventSource("/__sxsh/events");
  function reload() {
    source.close();
    window.location.reload();
  }
  source.addEventListener("reload", reload);
  source.addEventListener("error", function (e) {
    // A dropped connection is an "error" event too, but without data: the
    // browser reconnects by itself, and "hello" tells whether it missed a build.
    if (typeof e.data === "string") {
      reload();
    }
  });
  source.addEventListener("hello", function (e) {
    if (seen !== null && seen !== e.data) {
      reload();
      return;
    }
    seen = e.data;
  });
})();
