// Model page: turn the curl example into an absolute URL for this host, and copy it.
const input = document.getElementById("curl-cmd");
if (input) {
  input.value = "curl -s " + new URL(input.getAttribute("data-path"), document.baseURI).href;
  const button = document.getElementById("copy-curl");
  button.addEventListener("click", () => {
    input.select();
    const done = () => { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, () => { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
}
