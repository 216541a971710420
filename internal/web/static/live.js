// Live updates for signed-in pages: new posts appear at the top of the home
// timeline, deleted ones vanish, and the notifications badge counts up.
// Without this script every page still works; it just does not change
// until it is reloaded.
(function () {
  "use strict";
  if (!window.EventSource || !document.body.dataset.live) return;
  var badge = document.getElementById("notif-badge");
  var timeline = document.querySelector('#timeline[data-kind="home"]');
  var live = document.getElementById("live-region");
  function setUnread(n) {
    if (!badge) return;
    badge.textContent = n > 0 ? String(n) : "";
    badge.hidden = !(n > 0);
    badge.setAttribute("aria-label", n + " unread notifications");
  }
  var source = new EventSource("/events");
  source.addEventListener("hello", function (e) {
    setUnread(JSON.parse(e.data).unread);
    document.body.dataset.liveReady = "1"; // the stream is subscribed from here on
  });
  source.addEventListener("notification", function (e) { setUnread(JSON.parse(e.data).unread); });
  source.addEventListener("status", function (e) {
    if (!timeline) return;
    var d = JSON.parse(e.data);
    if (document.getElementById("status-" + d.id)) return;
    var empty = document.getElementById("empty");
    if (empty) empty.remove();
    var box = document.createElement("div");
    box.innerHTML = d.html; // rendered by the server for this reader, escaped there
    var article = box.firstElementChild;
    if (!article) return;
    article.classList.add("arrived");
    timeline.insertBefore(article, timeline.firstChild);
    if (live) live.textContent = "A new post arrived.";
  });
  source.addEventListener("delete", function (e) {
    var el = document.getElementById("status-" + JSON.parse(e.data).id);
    if (el) el.remove();
  });
})();
