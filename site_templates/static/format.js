// Shared by every page script: the one money format (the same strings as the Python build's
// ``money()``; both are checked against tests/fixtures/money_format.json), number formatting, and
// site URLs built from the page's ``data-root`` attribute (the relative path to the site root).

// A USD amount string as shown: "free", "$2.50", "$0.075"; an en dash when unknown.
export function money(value) {
  if (value === null || value === undefined) return "\u2013";
  if (value === "0") return "free";
  const [whole, fraction = ""] = value.split(".");
  return "$" + whole + "." + fraction.padEnd(2, "0");
}

// 128000 -> "128,000" (by hand: toLocaleString builds a formatter per call, ~0.1 ms each).
export function thousands(value) {
  return value === null || value === undefined ? "\u2013" : String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// The relative path from this page to the site root, from <html data-root="...">.
export function siteRoot(doc = document) {
  return doc.documentElement.getAttribute("data-root") || "";
}

export function modelUrl(root, provider, stem) {
  return root + "model/" + provider + "/" + stem + ".html";
}

export function providerUrl(root, provider) {
  return root + "providers/" + provider + ".html";
}

// The search index, or an Error with a one-line message.
export async function loadIndex(root) {
  const response = await fetch(root + "site-index.json");
  if (!response.ok) throw new Error("site-index.json: HTTP " + response.status);
  return response.json();
}
