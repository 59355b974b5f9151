"""``modelatlas scores``: measure how often each public catalog is right, per provider, against the
hand-checked facts, and write ``<data>/source-scores.json`` (read by ``fetch``: docs/merge-policy.md).

The catalogs are read as ``fetch`` reads them (the same variables: MODELATLAS_MODELS_DEV_URL, ...).
"""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.cli.options import data_option
from modelatlas.datastore import write_atomic
from modelatlas.fetch.catalogs import load_catalogs
from modelatlas.fetch.reliability import SCORES_FILE, read_facts, score_catalogs, scores_document


@click.command("scores")
@click.option(
    "--facts",
    "facts_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The hand-checked facts (YAML: facts: [{id, field, value, url, quote}]).",
)
@data_option("The data folder to write source-scores.json into.")
def command(facts_path: Path, data_dir: Path) -> None:
    """Score each public catalog per provider against hand-checked facts (prices and limits read on
    the providers' own pages) and write DATA/source-scores.json. Exit 0, or 2 for a bad facts file.
    """
    facts = read_facts(facts_path)
    outcomes = score_catalogs(load_catalogs().records, facts)
    path = data_dir / SCORES_FILE
    changed = write_atomic(path, scores_document(outcomes))
    scored = sum(
        r + w for sources in outcomes.values() for models in sources.values() for r, w in models.values()
    )
    state = "updated" if changed else "unchanged"
    click.echo(f"scores: {len(facts)} facts, {scored} catalog values scored; {path} {state}", err=True)
