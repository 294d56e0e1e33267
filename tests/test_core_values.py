"""Unit tests of talkbase.values: slugs, folding, dates, URLs, languages, ORCIDs."""

from __future__ import annotations

import unicodedata

import pytest

from talkbase.values import (
    BadValue,
    check_language,
    check_orcid,
    check_url,
    clean_text,
    fold,
    parse_date,
    slugify,
    split_list,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("proxémie", "proxemie"),
        ("Proxémie", "proxemie"),
        ("Effet Whuffie", "effet-whuffie"),
        ("Médias sociaux : état des lieux", "medias-sociaux-etat-des-lieux"),
        ("Zoë Éluard", "zoe-eluard"),
        ("ams-2011", "ams-2011"),
        ("AMS_2011", "ams-2011"),
        ("  --padded--  ", "padded"),
        ("l'entreprise", "l-entreprise"),
        ("Œuvre ﬁnale", "oeuvre-finale"),  # ligature ﬁ decomposes, Œ is spelled out
        ("!!!", ""),
        ("", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_nfc_and_nfd_are_the_same_id() -> None:
    nfc = unicodedata.normalize("NFC", "café-é")
    nfd = unicodedata.normalize("NFD", "café-é")
    assert nfc != nfd
    assert slugify(nfc) == slugify(nfd) == "cafe-e"


def test_slugify_is_ascii_and_idempotent() -> None:
    for text in ["Stéphane Hugon", "signaux faibles", "Ça ira — 2011/09"]:
        slug = slugify(text)
        assert slug.isascii()
        assert slugify(slug) == slug


def test_fold() -> None:
    assert fold("Proxémie") == fold("proxemie") == fold("PROXÉMIE") == "proxemie"
    assert fold("  Weak   Signals ") == "weak signals"
    assert fold(unicodedata.normalize("NFD", "é")) == fold("é") == "e"
    assert fold("Straße") == "strasse"


def test_clean_text() -> None:
    assert clean_text(unicodedata.normalize("NFD", "é")) == "é"
    assert clean_text("a\x00b\x1bc") == "abc"
    assert clean_text("line\nnext\ttab") == "line\nnext\ttab"


def test_clean_text_drops_exactly_the_control_characters() -> None:
    """Every character of the Basic Multilingual Plane: only category Cc goes, tab and newline stay."""
    every = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF)
    kept = clean_text(every)
    expected = "".join(c for c in unicodedata.normalize("NFC", every) if c in "\n\t" or unicodedata.category(c) != "Cc")
    assert kept == expected
    assert "\x85" not in kept and "\x7f" not in kept and "\x1f" not in kept


@pytest.mark.parametrize(
    ("value", "items", "had_empty"),
    [
        (None, [], False),
        ("a, b ,c", ["a", "b", "c"], False),
        ("a,,b", ["a", "b"], True),
        ("a, b,", ["a", "b"], True),
        ("single", ["single"], False),
    ],
)
def test_split_list(value: str | None, items: list[str], had_empty: bool) -> None:
    assert split_list(value) == (items, had_empty)


def test_parse_date() -> None:
    assert parse_date("2011-09-05").isoformat() == "2011-09-05"
    assert parse_date(" 2012-02-29 ").isoformat() == "2012-02-29"


@pytest.mark.parametrize(
    "value", ["5 septembre 2011", "2011-9-5", "2011/09/05", "20110905", "", "2011-02-30", "2011-13-01"]
)
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(BadValue):
        parse_date(value)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/",
        "slides/deck.pdf",
        "../up.html",
        "/absolute/path",
        "#anchor",
    ],
)
def test_check_url_accepts(url: str) -> None:
    assert check_url(url) == url


def test_check_url_strips_padding() -> None:
    assert check_url("  https://example.org  ") == "https://example.org"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)  ",
        "\tjavascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "mailto:a@example.org",
        "//evil.example.org/x",
        "https:",
        "https://",
        "http:/x",
        "",
        "   ",
        "https://exa mple.org",
    ],
)
def test_check_url_rejects(url: str) -> None:
    with pytest.raises(BadValue):
        check_url(url)


@pytest.mark.parametrize(
    ("code", "cleaned"),
    [("fr", "fr"), ("en", "en"), ("en-GB", "en-GB"), ("pt_BR", "pt-BR"), ("de", "de")],
)
def test_check_language_accepts(code: str, cleaned: str) -> None:
    assert check_language(code) == cleaned


@pytest.mark.parametrize("code", ["xx", "xx-nope", "english", "f", "", "tlh-zz-bad", "e1"])
def test_check_language_rejects(code: str) -> None:
    with pytest.raises(BadValue):
        check_language(code)


def test_check_orcid() -> None:
    assert check_orcid("0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert check_orcid("https://orcid.org/0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert check_orcid("0000-0001-5109-3700") == "0000-0001-5109-3700"
    assert check_orcid("0000-0002-1694-233X") == "0000-0002-1694-233X"


@pytest.mark.parametrize("value", ["0000-0002-1825-0098", "0000-0002-1825", "orcid", ""])
def test_check_orcid_rejects(value: str) -> None:
    with pytest.raises(BadValue):
        check_orcid(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Łukasz Wiśniewski", "lukasz-wisniewski"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Œuvre et cætera", "oeuvre-et-caetera"),
        ("Straße", "strasse"),
        ("Đurić", "duric"),
    ],
)
def test_slugify_spells_out_letters_without_a_base_letter(text: str, expected: str) -> None:
    """Letters NFKD cannot reduce to ASCII are spelled out, not dropped."""
    assert slugify(text) == expected
