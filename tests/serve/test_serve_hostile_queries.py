"""Query values no client should send still get a 400 with a JSON error, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests

from modelatlas.serve import make_server
from tests.serve.live_server import build_api


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = make_server(
        build_api(tmp_path_factory.mktemp("hostile-queries") / "build"), "127.0.0.1", 0, quiet=True
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("page_size", ["9" * 5000, "1" + "0" * 4299, "0" * 5000 + "5", "99999999999"])
def test_a_page_size_of_thousands_of_digits_is_a_400(base: str, page_size: str) -> None:
    """Before: int() refused the 5,000 digits with a ValueError, and the server answered 500."""
    response = requests.get(f"{base}/v1/models", params={"page_size": page_size}, timeout=10)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "page_size" and error["type"] == "invalid_request_error"
    assert len(error["message"]) < 200
