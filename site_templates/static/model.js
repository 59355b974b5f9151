// Model page: turn the curl example into an absolute URL for this host, and copy it.
(function () {
  "use strict";
  var input = document.getElementById("curl-cmd");
  if (!input) return;
  var url = new URL(input.getAttribute("data-path"), document.baseURI).href;
  input.value = "curl -s " + url;
  var button = document.getElementById("copy-curl");
  button.addEventListener("click", function () {
    input.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
