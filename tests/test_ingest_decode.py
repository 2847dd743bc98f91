"""Decoding input bytes: BOMs, Big5 and GBK with and without (right or wrong) declarations, bad bytes.

Every page here is a short one written for these tests."""

from __future__ import annotations

import pytest

from jingdu.errors import InputError
from jingdu.ingest import load_bytes
from jingdu.ingest.decode import decode_bytes, decode_page

SIMPLIFIED = ("我们这个城市的春天来得很早，学校里的孩子们在操场上跑来跑去。"
              "政府表示，今年将继续推动经济发展与环境保护，让更多人过上好日子。")
TRADITIONAL = ("我們這個城市的春天來得很早，學校裡的孩子們在操場上跑來跑去。"
               "政府表示，今年將繼續推動經濟發展與環境保護，讓更多人過上好日子。")


def page(body: str, charset: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>page</title></head><body><p>{body}</p></body></html>"


def test_big5_page_without_declaration_is_big5() -> None:
    assert TRADITIONAL in decode_bytes(page(TRADITIONAL).encode("big5"))


def test_big5_page_declared_big5() -> None:
    assert TRADITIONAL in decode_bytes(page(TRADITIONAL, "big5").encode("big5"))


def test_big5_page_wrongly_declared_gbk() -> None:
    assert TRADITIONAL in decode_bytes(page(TRADITIONAL, "gbk").encode("big5"))


def test_gbk_page_without_declaration() -> None:
    assert SIMPLIFIED in decode_bytes(page(SIMPLIFIED).encode("gbk"))


def test_gbk_page_declared_gb2312() -> None:
    assert SIMPLIFIED in decode_bytes(page(SIMPLIFIED, "gb2312").encode("gbk"))


def test_gbk_page_wrongly_declared_big5() -> None:
    assert SIMPLIFIED in decode_bytes(page(SIMPLIFIED, "big5").encode("gbk"))


def test_gbk_page_wrongly_declared_iso_8859_1() -> None:
    assert SIMPLIFIED in decode_bytes(page(SIMPLIFIED, "iso-8859-1").encode("gbk"))


def test_gbk_page_with_wrong_http_charset() -> None:
    assert SIMPLIFIED in decode_bytes(page(SIMPLIFIED).encode("gbk"), charset="ISO-8859-1")


def test_latin1_page_declared_latin1_is_trusted() -> None:
    text = "Café crème à la française, déjà vu."
    assert text in decode_bytes(page(text, "iso-8859-1").encode("latin-1"))


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_bom_decides(codec: str) -> None:
    bom = "" if codec in ("utf-32", "utf-16") else "\ufeff"
    data = (bom + page(SIMPLIFIED)).encode(codec)
    decoded = decode_page(data)
    assert SIMPLIFIED in decoded.text and not decoded.text.startswith("\ufeff")


def test_utf32_bom_page_loads_as_a_document() -> None:
    doc = load_bytes(("\ufeff" + page(SIMPLIFIED)).encode("utf-32-le"), "p.html")
    assert "学校里的孩子们" in doc.text


def test_few_bad_bytes_are_replaced_with_a_warning() -> None:
    data = bytearray(page(SIMPLIFIED * 40, "gb2312").encode("gbk"))
    for at in range(300, len(data), len(data) // 6):
        data[at] = 0xFF
    decoded = decode_page(bytes(data))
    assert decoded.encoding == "gb18030" and decoded.bad_bytes >= 6
    assert decoded.text.count("\ufffd") == decoded.bad_bytes
    assert decoded.warnings == (f"{decoded.bad_bytes} byte sequences could not be decoded as gb18030; "
                                "replaced by U+FFFD",)


def test_clean_page_has_no_warning() -> None:
    assert decode_page(page(SIMPLIFIED).encode("gbk")).warnings == ()


def test_binary_is_refused_not_a_traceback() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
