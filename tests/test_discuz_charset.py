"""Site charsets: pages decode by header then <meta>, GBK labels as GB18030, forms in the site's charset."""

from __future__ import annotations

from urllib.parse import parse_qsl

from tui.discuz.charset import decode_page, encode_form


def test_meta_charset_decodes_a_page_when_the_header_has_none() -> None:
    body = '<html><head><meta charset="gbk"></head><body>灌水乐园</body></html>'.encode("gbk")
    assert "灌水乐园" in decode_page(body, "text/html")


def test_header_charset_wins_over_meta() -> None:
    body = '<meta charset="gbk"><p>摄影天地</p>'.encode()
    assert "摄影天地" in decode_page(body, "text/html; charset=utf-8")


def test_gb2312_label_decodes_as_gb18030() -> None:
    rare = "𠀀 and 䶮"  # outside GBK, inside GB18030
    body = f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>{rare}</p>'.encode(
        "gb18030"
    )
    assert rare in decode_page(body, None)


def test_form_fields_go_out_in_the_site_charset() -> None:
    fields = [("subject", "繁體中文測試"), ("message", "簡單")]
    big5 = encode_form(fields, "big5")
    assert dict(parse_qsl(big5.decode("ascii"), encoding="big5")) == dict(fields)
    assert big5 != encode_form(fields, "utf-8")


def test_characters_the_charset_lacks_become_character_references() -> None:
    sent = encode_form([("message", "emoji 😀")], "gbk")
    assert dict(parse_qsl(sent.decode("ascii"), encoding="gbk"))["message"] == "emoji &#128512;"
