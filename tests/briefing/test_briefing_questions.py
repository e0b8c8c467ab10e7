"""The briefing's attribution and break-even pages: made for the decomposed scenarios, titled
with findings computed from the numbers."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def makers():
    from sdmodel.analysis.compare import compare
    from sdmodel.briefing.questions import question_makers

    comparison = compare(["baseline", "wetten-zoals-aangenomen", "instroom-hoog"])
    return question_makers(comparison, lang="nl", source=lambda scenario: f"bron: {scenario}",
                           samples=4, seed=3)


def test_pages_for_the_decomposed_scenarios_only(makers) -> None:
    assert list(makers) == ["attribution_wetten-zoals-aangenomen", "breakeven"]


def test_titles_are_the_findings_and_carry_the_numbers(makers) -> None:
    for name, (finding, make) in makers.items():
        fig = make()
        title = " ".join(fig._suptitle.get_text().split())
        assert title == finding, name
    attribution = makers["attribution_wetten-zoals-aangenomen"][0]
    assert attribution.startswith("In wetten-zoals-aangenomen stijgt de COA-bezetting in 2030")
    assert "EU-Migratiepact" in attribution
    breakeven = makers["breakeven"][0]
    assert re.search(r"met \d+(,\d)?% moeten verlagen \(90% van de toekomsten: ", breakeven)
    assert "geen bron" in breakeven


def test_english_findings() -> None:
    from sdmodel.analysis.question_figures import TEXTS

    for key, texts in TEXTS.items():
        assert set(texts) == {"nl", "en"}, key
        assert set(re.findall(r"\{\w+\}", texts["nl"])) == set(
            re.findall(r"\{\w+\}", texts["en"])), key

