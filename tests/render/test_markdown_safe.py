"""The safe markdown subset for upstream descriptions."""

from __future__ import annotations

from modelatlas.render.markdown_safe import plain_summary, render_markdown


def test_html_is_escaped() -> None:
    out = str(render_markdown('<script>alert(1)</script><img src=x onerror="x()">'))
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_only_http_and_https_links_become_links() -> None:
    out = str(
        render_markdown(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](data:text/html,hi) [d](/local) "
            "[e](https://ok.example/x?a=1&b=2) [f](http://plain.example)"
        )
    )
    assert out.count("<a ") == 2
    assert 'href="https://ok.example/x?a=1&amp;b=2"' in out and 'href="http://plain.example"' in out
    assert 'rel="nofollow noopener noreferrer"' in out
    assert 'href="javascript' not in out.lower() and 'href="data' not in out and 'href="/local' not in out


def test_quotes_cannot_break_out_of_an_href() -> None:
    out = str(render_markdown('[x](https://a.example/" onmouseover="alert(1)) https://b.example/"onfocus="y'))
    assert 'onmouseover="' not in out and 'onfocus="' not in out


def test_inline_forms_lists_and_paragraphs() -> None:
    out = str(
        render_markdown("First **bold** and *it* and `a*b*c`.\nline two\n\n- one\n- two https://x.example.")
    )
    assert out.startswith(
        "<p>First <strong>bold</strong> and <em>it</em> and <code>a*b*c</code>.<br>line two</p>"
    )
    assert '<ul><li>one</li><li>two <a href="https://x.example"' in out
    assert out.endswith("</a>.</li></ul>")


def test_plain_summary_strips_markup_and_truncates() -> None:
    assert plain_summary("**Big** [model](https://x) for `code`") == "Big model for code"
    long = plain_summary("word " * 100, 20)
    assert len(long) <= 20 and long.endswith("…")
