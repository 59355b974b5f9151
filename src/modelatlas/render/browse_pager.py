"""The pager of the browse pages (``browse/<n>.html``): every page number, the current one marked,
with links to the previous and next page. Written here rather than as a template loop: a 100k
catalog has 400 browse pages, each with its pager twice, and looping over every number in the
template was 0.8 s of such a build (the pager grows with the number of pages, so all pagers together
grow with its square); here each page joins strings made once per build."""

from __future__ import annotations

from functools import cache

from markupsafe import Markup


@cache
def _links(pages: int) -> tuple[str, ...]:
    """Each page number's link, followed by the space that parts it from the next."""
    return tuple(f'<a href="{number}.html">{number}</a> ' for number in range(1, pages + 1))


def pager(number: int, pages: int) -> Markup:
    """The pager of browse page ``number`` of ``pages`` (numbers are integers: nothing to escape)."""
    links = _links(pages)
    previous = f'<a href="{number - 1}.html" rel="prev">← previous</a>' if number > 1 else ""
    following = f'<a href="{number + 1}.html" rel="next">next →</a>' if number < pages else ""
    current = f'<span aria-current="page">{number}</span> '
    return Markup(
        '<nav class="pager" aria-label="Pages">\n'
        f'{previous}{"".join(links[: number - 1])}{current}{"".join(links[number:])}{following}</nav>\n'
    )
