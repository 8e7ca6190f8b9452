"""Meetings in the genre's shapes."""

from __future__ import annotations

from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text


def _relations(text: str) -> set[tuple[str, str, str]]:
    return set(extract(document_from_text(text)).relations)


def test_joint_conveners_a_place_and_a_year_from_the_byline():
    relations = _relations(
        "发布时间:2021-09-16\n9月15日,江川市市场监督管理局与江川市消费者协会在市局三楼会议室联合召开消费维权座谈会。"
    )
    meeting = "消费维权座谈会"
    assert {("江川市市场监督管理局", "convened", meeting), ("江川市消费者协会", "convened", meeting)} <= relations
    assert (meeting, "heldIn", "市局三楼会议室") in relations
    assert (meeting, "heldOn", "2021-09-15") in relations
    assert not any(r == "heldIn" and o.endswith("联合") for _, r, o in relations)


def test_the_meeting_as_subject_with_a_bracketed_note():
    relations = _relations(
        "青松县养蜂协会第二届理事会(以下简称理事会)成立大会于2020年5月6日~7日在南京市召开,共有60名代表参加会议。"
    )
    meeting = "青松县养蜂协会第二届理事会成立大会"
    expected = {(meeting, "heldOn", "2020-05-06"), (meeting, "heldIn", "南京市"), (meeting, "attendeeCount", "60")}
    assert expected <= relations


def test_chair_and_speakers():
    relations = _relations("2022年7月8日,青松县教育局召开安全工作会议,局长王海涛出席并讲话,副局长李红梅主持会议。")
    assert {("王海涛", "spokeAt", "安全工作会议"), ("李红梅", "chaired", "安全工作会议")} <= relations
    assert ("青松县教育局", "convened", "安全工作会议") in relations
    assert ("局长", "postIn", "青松县教育局") in relations
