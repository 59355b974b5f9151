// Every page runs this as a classic script (browsers block module scripts on a page opened from
// disk, never this): it marks the page as scripted, or, on a page opened from disk (file://), keeps
// the controls that need the other scripts hidden and shows how to serve the site. It also opens a
// collapsed section that the address points at (quality.html#<provider>).
(function () {
  var html = document.documentElement;
  if (location.protocol === "file:") {
    html.classList.add("from-disk");
    return;
  }
  html.classList.remove("no-js");
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
