"""The browser tests: one package, so their served catalogs and browser end with them."""
