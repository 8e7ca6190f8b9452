from __future__ import annotations

from orggraph.text.normalization import normalize_name, strip_reading_annotations, to_simplified, to_traditional


def test_readings_removed_and_offsets_point_into_raw():
    raw = "在北京召開(kāi)2019年度會(huì)議(yì)。"
    clean = strip_reading_annotations(raw)
    assert clean.text == "在北京召開2019年度會議。"
    start = clean.text.index("會議")
    raw_start, raw_end = clean.raw_span(start, start + 2)
    assert raw[raw_start:raw_end] == "會(huì)議"
    assert strip_reading_annotations(raw[raw_start:raw_end]).text == "會議"


def test_real_parentheses_are_kept():
    for text in ("公安部三所檢測中心(認證中心)", "推廣GA認證(GA)", "(2019)"):
        assert strip_reading_annotations(text).text == text


def test_seed_document_cleans_to_text_without_pinyin(seed_document):
    raw = seed_document.read_text(encoding="utf-8")
    clean = strip_reading_annotations(raw)
    assert "(kāi)" in raw and "(kāi)" not in clean.text
    assert len(clean.raw_offsets) == len(clean.text) + 1
    assert all(raw[clean.raw_offsets[i]] == ch for i, ch in enumerate(clean.text))


def test_script_conversion_and_name_keys():
    assert to_simplified("標準化") == "标准化"
    assert to_traditional("标准化") == "標準化"
    assert normalize_name("中國安全防範產品行業協會") == normalize_name("中国安全防范产品行业协会")
    assert normalize_name("公安部三所檢測中心（認證中心）") == normalize_name("公安部三所检测中心(认证中心)")
    assert normalize_name("MPS") == "mps"
