"""A queued document's review items: what goes together, and in which order a reviewer meets them."""

from __future__ import annotations

from orggraph.namespaces import ORG
from orggraph.review.items import KINDS


def test_items_come_in_kind_order_and_after_what_they_point_at(desk):
    items = list(desk.items.values())
    kinds = [item.kind for item in items]
    assert kinds == sorted(kinds, key=list(KINDS).index)
    position = {item.iri: index for index, item in enumerate(items)}
    for item in items:
        assert all(position[needed] < position[item.iri] for needed in item.depends), item.name


def test_a_person_comes_with_the_posts_they_hold(desk):
    people = [item for item in desk.items.values() if item.kind == "person"]
    assert people and not [item for item in desk.items.values() if item.kind == "post"]
    holder = next(person for person in people if len(person.members) > 1)
    assert any(value in holder.members for value in holder.value(ORG.holds))


def test_every_item_cites_a_passage_of_the_document(desk):
    text = desk.queued.text()
    for item in desk.items.values():
        assert item.passages, item.name
        start, end = item.passages[0]
        assert 0 <= start < end <= len(text)
