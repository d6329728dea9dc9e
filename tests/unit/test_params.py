"""One parameter spec for every shell: the filters come from the metadata in one order, each shell
spells a parameter its own way, and an error about a parameter is worded by whoever reports it."""

from __future__ import annotations

import inspect

import pytest
from typer.testing import CliRunner

from borderdesk import metadata, params
from borderdesk.cli import filters as F
from borderdesk.errors import BorderdeskError, ParameterError


def test_the_filters_are_the_metadata_dimensions_in_one_order() -> None:
    assert [p.name for p in params.FILTERS] == list(metadata.FILTERS)
    assert set(metadata.FILTERS) == set(metadata.DIMENSIONS)
    assert metadata.FILTERS[:2] == ("citizenship", "region")
    from borderdesk.query import FILTERS as QUESTION_FILTERS

    assert QUESTION_FILTERS == metadata.FILTERS


@pytest.mark.parametrize(
    ("keyword", "cli", "http"),
    [
        pytest.param("citizenship", "--citizenship", "citizenship", id="filter"),
        pytest.param("encounter_type", "--encounter-type", "encounter_type", id="underscore"),
        pytest.param("as_of", "--as-of", "as_of", id="as-of"),
        pytest.param("from_release", "--from", "from", id="renamed"),
        pytest.param("by", "--by", "by", id="not-in-the-spec"),
    ],
)
def test_each_shell_spells_a_parameter_its_way(keyword: str, cli: str, http: str) -> None:
    assert params.cli_name(keyword) == cli
    assert params.http_name(keyword) == http


def test_a_parameter_error_is_worded_by_the_shell() -> None:
    e = ParameterError("from_release", "no earlier vintage; give {parameter}", value="x {parameter}")
    assert str(e) == "no earlier vintage; give from_release"
    assert e.worded(params.cli_name) == "no earlier vintage; give --from"
    assert e.worded(params.http_name) == "no earlier vintage; give from"
    assert e.parameter == "from_release" and e.value == "x {parameter}"
    plain = BorderdeskError("no parameter here")
    assert plain.parameter is None and plain.worded(params.cli_name) == "no parameter here"


def test_collect_drops_unset_filters_and_unwraps_single_values() -> None:
    given = {"citizenship": ["russia"], "region": None, "state": [], "aor": ["A", "B"], "period": "x"}
    assert params.collect(given) == {"citizenship": "russia", "aor": ["A", "B"]}
    assert params.collect(given, params.QUESTION) == {
        "citizenship": "russia",
        "aor": ["A", "B"],
        "period": "x",
    }


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        pytest.param(lambda: params.dimensions("nonsense"), "by", id="by"),
        pytest.param(lambda: params.dimensions("citizenship,region", most=1), "by", id="by-most"),
        pytest.param(lambda: params.interval("week"), "interval", id="interval"),
    ],
)
def test_shell_checks_name_their_parameter(call, parameter: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError) as raised:
        call()
    assert raised.value.parameter == parameter and raised.value.allowed
    assert params.dimensions("Encounter-Type, citizenship") == ("encounter_type", "citizenship")
    assert params.interval("Fiscal-Year") == "fiscal_year"


def test_web_text_boxes_round_trip_several_values() -> None:
    names = ["CHINA, PEOPLES REPUBLIC OF", " RUSSIA ", ""]
    assert params.split_values(params.join_values(names)) == ["CHINA, PEOPLES REPUBLIC OF", "RUSSIA"]


def test_cli_options_come_from_the_spec() -> None:
    from borderdesk.cli import app

    out = CliRunner().invoke(app, ["count", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
    for p in params.QUESTION:
        for flag in p.flags or (p.cli,):
            assert flag in out, flag


def test_with_filters_hands_the_command_the_set_filters() -> None:
    seen = {}

    @F.with_filters(only=("citizenship", "region"))
    def command(period: F.PeriodOpt = None, filters: F.Filters = F.NO_FILTERS) -> None:
        seen.update(filters, period=period)

    assert list(inspect.signature(command).parameters) == ["period", "citizenship", "region"]
    command(period="2022-11", citizenship=["russia"], region=None)
    assert seen == {"citizenship": "russia", "period": "2022-11"}


def test_api_query_parameters_come_from_the_spec() -> None:
    from borderdesk.api import params as api_params

    names = list(inspect.signature(api_params.who_where).parameters)
    assert names == [p.name for p in params.FILTERS]
