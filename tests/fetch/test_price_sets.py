"""A record's token prices decided as one set, by the evidence order (fetch/price_sets.py)."""

from __future__ import annotations

from decimal import Decimal

from modelatlas.fetch.price_sets import Offer, SetEvidence, clean, decide_set
from modelatlas.fetch.reliability import Scores
from modelatlas.fetch.settlement import Step
from modelatlas.fetch.siblings import SiblingPrice

P, C, R, W = "pricing.prompt", "pricing.completion", "pricing.input_cache_read", "pricing.input_cache_write"


def evidence(provider: str = "groq", **kwargs: object) -> SetEvidence:
    return SetEvidence(provider=provider, model_key="m", **kwargs)  # type: ignore[arg-type]


def values(decision: object) -> dict[str, tuple[str, str]]:
    return dict(decision.values)  # type: ignore[attr-defined]


def test_agreeing_offers_are_one_opinion_and_every_field_is_kept() -> None:
    offers = [
        Offer("litellm", {P: "0.000001", R: "0.0000001"}),
        Offer("models.dev", {P: "0.000001", C: "0.000002"}),
    ]
    decision = decide_set(offers, evidence())
    # each field from the best-ranked offer stating it (no dates given: the fixed order, models.dev first)
    assert values(decision) == {
        P: ("0.000001", "models.dev"),
        R: ("0.0000001", "litellm"),
        C: ("0.000002", "models.dev"),
    }
    assert decision.settled == {} and decision.conflicts == {}


def test_a_disputed_set_comes_from_one_source_never_a_mixed_pair() -> None:
    # openrouter/xiaomi/mimo-v2.5: OpenRouter $0.40 / $2, Portkey and models.dev $0.14 / $0.28
    offers = [
        Offer("openrouter", {P: "0.0000004", C: "0.000002", R: "0.00000008"}),
        Offer("portkey", {P: "0.00000014", C: "0.00000028", R: "0.0000000028"}),
        Offer("models.dev", {P: "0.000000105", C: "0.00000028"}),
    ]
    decision = decide_set(offers, evidence("openrouter", own_list=frozenset({"provider_api", "openrouter"})))
    assert {path: source for path, (_v, source) in values(decision).items()} == {
        P: "openrouter",
        C: "openrouter",
        R: "openrouter",
    }
    assert values(decision)[C][0] == "0.000002"
    assert decision.settled == {P: Step.PROVIDER_API, C: Step.PROVIDER_API, R: Step.PROVIDER_API}
    assert set(decision.conflicts[C]) == {"openrouter", "portkey", "models.dev"}


def test_a_curated_fact_picks_the_opinion_that_fits_it_and_its_other_prices() -> None:
    offers = [
        Offer("portkey", {P: "0.0000005", C: "0.0000015"}),
        Offer("models.dev", {P: "0.000002", C: "0.000006", R: "0.0000002"}),
    ]
    decision = decide_set(offers, evidence("mistral", fixed={P: "0.000002"}))
    assert values(decision)[R] == ("0.0000002", "models.dev")  # the fitting opinion's cache price comes along
    assert decision.settled[P] == Step.CURATED


def test_siblings_rule_out_an_8x_outlier_and_support_the_rest() -> None:
    far = Offer("portkey", {P: "0.000033"})  # azure/Kimi-K3's $33 against $3 everywhere else
    near = Offer("litellm", {P: "0.000003"})

    def siblings(path: str) -> list[SiblingPrice]:
        return (
            [SiblingPrice("openrouter/moonshotai/kimi-k3", "openrouter", Decimal("0.000003"))]
            if path == P
            else []
        )

    decision = decide_set([far, near], evidence("azure", siblings=siblings))
    assert values(decision)[P] == ("0.000003", "litellm") and decision.settled[P] == Step.SIBLINGS

    # a catalog repeating its own figure at another provider is no support: o1-mini's $3 at Portkey
    def own_echo(path: str) -> list[SiblingPrice]:
        return [
            SiblingPrice("azure/o1-mini", "portkey", Decimal("0.000003")),
            SiblingPrice("azure/o1-mini", "litellm", Decimal("0.0000011")),
            SiblingPrice("azure/o1-mini", "models.dev", Decimal("0.0000011")),
        ]

    pair = [Offer("portkey", {P: "0.000003"}), Offer("portkey", {P: "0.0000011"}, origin="openai/o1-mini")]
    decision = decide_set(pair, evidence("openai", siblings=own_echo))
    assert values(decision)[P] == ("0.0000011", "derived:openai/o1-mini")  # the partner's (same model) price
    assert decision.settled[P] == Step.SIBLINGS


def test_more_independent_sources_win_and_a_copy_is_no_second_vote() -> None:
    offers = [
        Offer("litellm", {P: "0.000001"}),
        Offer("models.dev", {P: "0.000002"}),
        Offer("portkey", {P: "0.000002"}),
    ]
    decision = decide_set(offers, evidence())
    assert values(decision)[P] == ("0.000002", "models.dev") and decision.settled[P] == Step.AGREEMENT
    copied = [
        Offer("litellm", {P: "0.000001"}),
        Offer("models.dev", {P: "0.000002"}),
        Offer("ruby_llm", {P: "0.000002"}),
    ]
    assert decide_set(copied, evidence()).settled[P] == Step.UNSETTLED  # ruby_llm copies models.dev


def test_reliability_decides_a_tie_leaving_the_model_itself_out() -> None:
    offers = [Offer("litellm", {P: "0.000001"}), Offer("portkey", {P: "0.000002"})]
    outcomes = {"groq": {"litellm": {"a": [5, 0], "m": [0, 9]}, "portkey": {"a": [1, 4]}}}
    decision = decide_set(offers, evidence(scores=Scores(outcomes)))
    assert values(decision)[P] == ("0.000001", "litellm") and decision.settled[P] == Step.RELIABILITY
    # scored on its own model only, litellm would have lost; leave-one-out ignores those facts
    assert Scores(outcomes).counts("groq", "litellm", leave_out="m") == (5, 0)


def test_a_dispute_nothing_settles_keeps_the_best_ranked_and_says_so() -> None:
    offers = [Offer("litellm", {P: "0.000001"}), Offer("portkey", {P: "0.000002"})]
    decision = decide_set(offers, evidence())
    assert decision.settled == {P: Step.UNSETTLED}
    assert decision.spreads[P] == Decimal("0.5")


def test_values_that_are_no_prices_are_left_out_of_each_offer() -> None:
    raw = [
        Offer("litellm", {P: "0.000001", W: "0"}),  # a zero beside a price: LiteLLM's "unknown"
        Offer("portkey", {P: "0.006"}),  # $6,000 per 1M tokens: a per-minute price
        Offer("models.dev", {P: "0", C: "0"}),  # free, but nothing corroborates it
    ]
    assert [o.values for o in clean(raw, evidence())] == [{P: "0.000001"}]
    free = [Offer("models.dev", {P: "0", C: "0"}), Offer("litellm", {P: "0", C: "0"})]
    assert [o.values for o in clean(free, evidence())] == [{P: "0", C: "0"}, {P: "0", C: "0"}]
    own = [Offer("openrouter", {P: "0", C: "0"})]  # OpenRouter's own :free price
    assert clean(own, evidence("openrouter", own_list=frozenset({"openrouter"})))[0].values == {
        P: "0",
        C: "0",
    }
    assert clean([Offer("litellm", {C: "0.00001"})], evidence(not_billed=frozenset({C})))[0:] == []


def test_a_partners_prices_never_fill_a_record_that_has_none() -> None:
    decision = decide_set([Offer("portkey", {P: "0.000002"}, origin="azure/x")], evidence())
    assert values(decision) == {}


def test_the_tier_list_most_independent_sources_give_comes_with_the_set() -> None:
    def tier(above: int, prompt: str, source: str) -> dict[str, object]:
        return {
            "above_input_tokens": above,
            "billing": "whole_request",
            "pricing": {"prompt": prompt},
            "source": source,
        }

    offers = [
        Offer("portkey", {P: "0.00000125"}, tiers=(tier(128000, "0.0000025", "portkey"),)),
        Offer("litellm", {P: "0.00000125"}, tiers=(tier(200000, "0.0000025", "litellm"),)),
        Offer("models.dev", {P: "0.00000125"}, tiers=(tier(200000, "0.0000025", "models.dev"),)),
    ]
    tiers, _source = decide_set(offers, evidence("gemini")).tiers  # type: ignore[misc]
    assert [t["above_input_tokens"] for t in tiers] == [200000]
