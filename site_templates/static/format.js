// Shared by every page script: the one money format (the same strings as the Python build's
// ``money()``; both are checked against tests/fixtures/money_format.json), number formatting, and
// site URLs built from the page's ``data-root`` attribute (the relative path to the site root).

const SIGNIFICANT = 4;

// Add one to a string of decimal digits ("0999" -> "1000").
function increment(digits) {
  const out = digits.split("");
  for (let k = out.length - 1; k >= 0; k--) {
    if (out[k] !== "9") { out[k] = String.fromCharCode(out[k].charCodeAt(0) + 1); return out.join(""); }
    out[k] = "0";
  }
  return "1" + out.join("");
}

// A non-negative decimal string rounded to SIGNIFICANT digits (half up; at least two decimals; whole
// dollars never rounded), by string arithmetic: money never goes through floats.
function rounded(value) {
  let [whole, fraction = ""] = value.split(".");
  whole = whole.replace(/^0+(?=\d)/, "");
  const zeros = fraction.match(/^0*/)[0].length;
  const places = Math.max(2, whole !== "0" ? SIGNIFICANT - whole.length : zeros + SIGNIFICANT);
  if (fraction.length > places) {
    let digits = whole + fraction.slice(0, places);
    if (fraction.charCodeAt(places) >= 53) digits = increment(digits);  // the first dropped digit is 5-9
    whole = digits.slice(0, digits.length - places).replace(/^0+(?=\d)/, "") || "0";
    fraction = digits.slice(digits.length - places);
  }
  return whole + "." + fraction.replace(/0+$/, "").padEnd(2, "0");
}

// A USD amount string as shown: "free", "$2.50", "$0.08333"; an en dash when unknown.
export function money(value) {
  if (value === null || value === undefined) return "\u2013";
  if (/^0*\.?0*$/.test(value)) return "free";
  return "$" + rounded(value);
}

// The exact amount ("$0.0833333333333"), for tooltips where the shown text is rounded.
export function exactMoney(value) {
  const [whole, fraction = ""] = value.split(".");
  return "$" + whole + "." + fraction.padEnd(2, "0");
}

// A per-token price string as USD per 1M tokens, exactly: the decimal point moves six places.
export function perMillion(value) {
  if (value === null || value === undefined) return null;
  const [whole, fraction = ""] = value.split(".");
  const digits = whole + fraction.padEnd(6, "0");
  const integer = digits.slice(0, whole.length + 6).replace(/^0+(?=\d)/, "");
  const rest = fraction.slice(6).replace(/0+$/, "");
  return rest ? integer + "." + rest : integer;
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
