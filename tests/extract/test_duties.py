"""Duties as a general mechanism."""

from __future__ import annotations

from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text


def _duties(text: str) -> set[tuple[str, str]]:
    return {(s, o) for s, r, o in extract(document_from_text(text)).relations if r == "assignedDuty"}


def test_units_one_clause_after_another():
    duties = _duties(
        "甲镇、乙乡人民政府:\n一、明确责任。甲镇、乙乡负责做好项目实施;县财政局负责资金拨付;县审计局要负责监督审计。"
    )
    assert ("甲镇人民政府", "做好项目实施") in duties and ("乙乡人民政府", "做好项目实施") in duties
    assert ("县财政局", "资金拨付") in duties and ("县审计局", "监督审计") in duties


def test_a_subjectless_clause_keeps_the_subject_before_it_and_hope_names_one():
    duties = _duties("会上强调,各地学会应该要加强学会建设;要做好会员服务。希望各地学会积极参与统计工作。")
    assert {("各地学会", "加强学会建设"), ("各地学会", "做好会员服务"), ("各地学会", "积极参与统计工作")} <= duties


def test_requirements_numbered_tasks_and_order():
    text = "会议要求,青松县养蜂协会要抢抓机遇。一是加强品牌建设。二是做好技术培训。"
    result = extract(document_from_text(text))
    assert ("青松县养蜂协会", "assignedDuty", "加强品牌建设") in result.relations
    assert ("抢抓机遇", "hasSubTask", "做好技术培训") in result.relations
    duties = _duties("青松县教育局强调,各学校要首先压实安全责任,其次加强隐患排查,最后做好值守工作。")
    assert {("各学校", "压实安全责任"), ("各学校", "加强隐患排查"), ("各学校", "做好值守工作")} <= duties


def test_a_notice_assigns_what_it_states():
    text = (
        "青松县人民政府办公室\n关于做好防汛工作的通知\n青府办发〔2021〕3号\n各乡镇人民政府:\n一、主要职责\n"
        "县水利局负责水情监测,做好堤防巡查。\n青松县人民政府办公室\n2021年5月20日\n"
    )
    relations = set(extract(document_from_text(text)).relations)
    assert ("县水利局", "assignedDuty", "水情监测") in relations
    assert ("水情监测", "assignedBy", "青松县人民政府办公室") in relations
