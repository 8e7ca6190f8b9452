from __future__ import annotations

import pytest

from orggraph.errors import InputError
from orggraph.text.documents import decode, document_from_text, read_document

TEXT = "2019年2月21日,公安部科技信息化局在北京召开联席会议。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5"])
def test_encodings_are_detected(tmp_path, encoding):
    text = TEXT if encoding != "big5" else "2019年2月21日,公安部科技資訊局在北京召開聯席會議。"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert document.raw == text


def test_explicit_encoding_and_errors(tmp_path):
    assert decode(TEXT.encode("gb18030"), "gb18030")[0] == TEXT
    with pytest.raises(InputError, match="cannot be read as utf-8"):
        decode(TEXT.encode("gb18030"), "utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"junk\.txt"):
        read_document(junk)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_document(empty)


def test_sentences_and_offsets_point_into_the_raw_text():
    document = document_from_text("會(huì)議召開(kāi)。第二句\n第三句。\n第四句")
    # a line break that wraps a sentence is dropped; one after 。 ends a paragraph
    assert [document.clean.text[a:b] for a, b in document.sentences] == ["會議召開。", "第二句第三句。", "第四句"]
    start, end = document.raw_span(2, 4)
    assert document.raw[start:end] == "召開"
