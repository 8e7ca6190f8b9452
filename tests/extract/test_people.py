"""People and posts in the genre's shapes."""

from __future__ import annotations

from orggraph.extract.findings import Extraction
from orggraph.extract.people import find_people, name_after, name_before, title_at
from orggraph.extract.rules import extract
from orggraph.text.documents import document_from_text


def _posts(text: str) -> set[tuple[str, str, str]]:
    result = extract(document_from_text(text))
    held = {(s, o) for s, r, o in result.relations if r == "holdsPost"}
    placed = {s: o for s, r, o in result.relations if r == "postIn"}
    return {(person, post, placed.get(post, "")) for person, post in held}


def test_a_title_after_the_name_and_a_title_over_a_list():
    posts = _posts("会议邀请到青松县水利局规划处赵文华处长、青松县水利局方力副处长出席。")
    assert ("赵文华", "处长", "青松县水利局规划处") in posts
    assert ("方力", "副处长", "青松县水利局") in posts
    posts = _posts("青松县养蜂协会理事长钱立群,副理事长周建平、孙海燕,秘书长吴思远出席会议。")
    assert {p[0] for p in posts} == {"钱立群", "周建平", "孙海燕", "吴思远"}
    assert all(place == "青松县养蜂协会" for _, _, place in posts)


def test_appointments_and_roster_rows():
    posts = _posts("会议宣布:吴思远任主任委员,周建平、孙海燕任副主任委员。")
    assert {(p[0], p[1]) for p in posts} == {("吴思远", "主任委员"), ("周建平", "副主任委员"), ("孙海燕", "副主任委员")}
    result = extract(document_from_text("组 长:王 军 某部部长\n副组长:李明远 某部副部长\n周建平 某局局长\n"))
    held = {(s, o) for s, r, o in result.relations if r == "holdsPost"}
    assert {("王军", "组长"), ("李明远", "副组长"), ("周建平", "副组长"), ("周建平", "某局局长")} <= held


def test_names_need_a_surname_and_are_not_words():
    assert name_after("副局长单位出席", 3) is None  # 单 is a surname, 单位 is not a name
    assert name_after("副局长和冯立军出席", 3) is None  # a conjunction, not 和冯立
    assert name_before("局赵文华处长", 4, {1}) == (1, 4)
    assert title_at("委员会", 0) == "委员"  # a title alone; the organisation finder keeps 委员会 whole


def test_people_without_an_organisation_finder():
    doc = document_from_text("副县长马志远主持会议。")
    result = Extraction(doc)
    (person,) = find_people(doc, result, [], None)
    assert person.name == "马志远" and person.posts == [("副县长", None)]


def test_elected_people_hold_posts_in_the_organisation_the_text_named():
    posts = _posts(
        "2021年3月6日,青松县养蜂协会在县会议中心召开第三次会员代表大会,选举产生了第三届理事会。"
        "钱立群当选理事长,周建平、孙海燕当选副理事长,吴思远当选秘书长。"
    )
    assert {("钱立群", "理事长"), ("周建平", "副理事长"), ("孙海燕", "副理事长"), ("吴思远", "秘书长")} <= {
        (p[0], p[1]) for p in posts
    }
    assert {place for _, _, place in posts} == {"青松县养蜂协会"}  # not the hall the congress met in
