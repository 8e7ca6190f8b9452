from __future__ import annotations

import pytest

from orggraph.errors import ResolutionError
from orggraph.namespaces import OGR
from orggraph.resolution import resolve_organisation, resolve_resource


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("科技信息化局", "mps-sti-bureau"),
        ("科信局", "mps-sti-bureau"),
        ("公安部一所", "mps-fri"),
        ("公安部第一研究所", "mps-fri"),
        ("公安部三所检测中心(认证中心)", "mps-tri-testing-center"),
        ("公安部三所檢測中心（認證中心）", "mps-tri-testing-center"),
        ("技防處", "mps-sti-bureau-tech-prevention-division"),
        ("China Security & Protection Industry Association", "cspia"),
        ("cspia", "cspia"),
        ("<https://w3id.org/orggraph/id/mps>", "mps"),
    ],
)
def test_names_aliases_and_scripts_resolve(bundled, name, key):
    assert resolve_organisation(bundled, name) == OGR[key]


def test_unknown_names_get_suggestions(bundled):
    with pytest.raises(ResolutionError, match="did you mean"):
        resolve_organisation(bundled, "公安部第一研究")


def test_people_are_not_organisations(bundled):
    with pytest.raises(ResolutionError):
        resolve_organisation(bundled, "陈敬华")
    assert resolve_resource(bundled, "陳敬華") == OGR["chen-jinghua"]
